/**
 * One measurement of bench/inventory-load.ts, in a process of its own so that its peak RSS is this load's:
 *   node --import tsx bench/inventory-load-child.ts baseline|before|after FILE
 * prints one JSON line { ms, cpuMs, peakRssMiB, servers, failovers } (cpuMs: the process's, GC threads included). `before` is the js-yaml path (the whole tree,
 * then the whole-file validation), `after` what `loadInventory` does; `baseline` imports the same and loads nothing.
 */
import { MAX_INVENTORY_BYTES, readUserFile } from '../src/common/read-user-file.js';
import { FileProblems, parseYamlFile } from '../src/common/yaml-errors.js';
import type { InventoryIndex } from '../src/inventory/inventory-index.js';
import { loadInventory } from '../src/inventory/load.js';
import { resolveInventory } from '../src/inventory/resolve.js';
import { validateInventory } from '../src/inventory/validate.js';

const [mode, file] = process.argv.slice(2);
function jsYamlPath(f: string): InventoryIndex {
  const y = parseYamlFile(f, readUserFile(f, MAX_INVENTORY_BYTES, 'an inventory'));
  const problems = new FileProblems(y);
  const inv = resolveInventory(validateInventory(y, problems), problems);
  if (problems.size > 0) throw new Error(problems.located()[0]);
  return inv;
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const inv = mode === 'baseline' ? null : mode === 'before' ? jsYamlPath(file) : loadInventory(file);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024, servers: inv?.servers.size ?? 0, failovers: inv?.failovers.size ?? 0 }) + '\n');
