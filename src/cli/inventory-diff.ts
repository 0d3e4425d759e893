import { loadConfig } from '../config/load.js';
import { type Changes, DIFF_SECTIONS, type DiffSection, diffInventories, type InventoryDiff, removedPercent } from '../inventory/diff.js';
import { loadListingProblems } from './inventory-check.js';
import { printable } from '../common/printable.js';

const TITLES: Record<DiffSection, string> = {
  routers: 'routers', customers: 'customers', servers: 'servers', failoverIps: 'failover IPs',
  blocks: 'RIPE blocks', portableBlocks: 'portable blocks', vrack: 'vRack ranges',
};

/** What a reload from OLD to NEW would change (exit 0); a file with problems: listed as `inventory check` does (exit 2). */
export async function inventoryDiffCommand(oldFile: string, newFile: string, o: { config?: string; limit: number }): Promise<number> {
  const config = loadConfig(o.config);
  const old = loadListingProblems(oldFile);
  const next = loadListingProblems(newFile);
  if (old === null || next === null) return 2;
  process.stdout.write(formatDiff(diffInventories(old, next), config.inventory.max_removed_percent, o.limit).map(printable).join('\n') + '\n');
  return 0;
}

/** The diff as lines: per list its counts then each entry (at most `limit` a list, 0: all), then the customer IPs and the reload's fate. */
export function formatDiff(d: InventoryDiff, maxRemovedPercent: number, limit: number): string[] {
  const lines: string[] = [];
  for (const s of DIFF_SECTIONS) {
    const c: Changes = d[s];
    if (c.added.length + c.removed.length + c.changed.length === 0) continue;
    lines.push(`${TITLES[s]}: +${c.added.length} -${c.removed.length} ~${c.changed.length}`);
    const entries = [...c.added.map((k) => `  + ${k}`), ...c.removed.map((k) => `  - ${k}`), ...c.changed.map((x) => `  ~ ${x.key}: ${x.fields.join(', ')}`)];
    const shown = limit > 0 ? entries.slice(0, limit) : entries;
    lines.push(...shown);
    if (shown.length < entries.length) lines.push(`  ... and ${entries.length - shown.length} more (--limit 0 lists them all)`);
  }
  if (lines.length === 0) lines.push('no change');
  const ips = d.customerIps;
  const removed = removedPercent(d);
  lines.push(`customer IPs: ${ips.before} -> ${ips.after} (+${ips.added} -${ips.removed}, ${removed.toFixed(1)}% removed)`);
  lines.push(removed > maxRemovedPercent
    ? `a reload would be refused: more than inventory.max_removed_percent ${maxRemovedPercent}% of the customer IPs removed`
    : `a reload would be taken (inventory.max_removed_percent ${maxRemovedPercent}%)`);
  return lines;
}
