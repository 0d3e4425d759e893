import { loadInventory } from '../inventory/load.js';

/** Validates an inventory alone: exit 0 with a one-line summary, or one line naming file, line and problem (exit 2). */
export async function inventoryCheckCommand(file: string): Promise<number> {
  const inv = loadInventory(file);
  const failovers = inv.failovers.list();
  const vmacs = failovers.filter((f) => f.virtualMac !== null).length;
  process.stdout.write(`${file}: ok: ${inv.customers.size} customers, ${inv.servers.size} servers, ` +
    `${failovers.length} failover IPs (${vmacs} with virtual MAC), ${inv.blocks.size} RIPE blocks, ` +
    `${inv.portableBlocks.size} portable blocks, ${inv.vrack.size} vRack ranges, ${inv.routers.size} routers\n`);
  return 0;
}
