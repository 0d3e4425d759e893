import { InvalidFileError } from '../common/yaml-errors.js';
import type { InventoryIndex } from '../inventory/inventory-index.js';
import { loadInventory } from '../inventory/load.js';
import { printable } from '../common/printable.js';

/** Problems listed at most; the rest are counted. */
export const LISTED_PROBLEMS = 20;

/** Validates an inventory alone: exit 0 with a one-line summary, or every problem, one a line `FILE:LINE: path: what` (exit 2). */
export async function inventoryCheckCommand(file: string): Promise<number> {
  const inv = loadListingProblems(file);
  if (inv === null) return 2;
  process.stdout.write(`${file}: ok: ${inv.customers.size} customers, ${inv.servers.size} servers, ` +
    `${inv.failovers.size} failover IPs (${inv.virtualMacCount()} with virtual MAC), ${inv.blocks.size} RIPE blocks, ` +
    `${inv.portableBlocks.size} portable blocks, ${inv.vrack.size} vRack ranges, ${inv.routers.size} routers\n`);
  return 0;
}

/** The inventory, or null once its problems are printed on stderr (capped, with how many more). Other errors go up. */
export function loadListingProblems(file: string): InventoryIndex | null {
  try {
    return loadInventory(file);
  } catch (e) {
    if (!(e instanceof InvalidFileError)) throw e;
    const shown = e.problems.slice(0, LISTED_PROBLEMS);
    const more = e.problems.length - shown.length;
    const lines = shown.map((p) => `arpwarden: ${printable(p)}`);
    if (more > 0) lines.push(`arpwarden: ... and ${more} more`);
    lines.push(`arpwarden: ${file}: ${e.problems.length} problem${e.problems.length > 1 ? 's' : ''}, not loaded`);
    process.stderr.write(lines.join('\n') + '\n');
    return null;
  }
}
