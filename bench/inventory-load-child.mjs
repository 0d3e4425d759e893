/**
 * One measurement of bench/inventory-load.ts, in a process of its own so that its peak RSS is this load's, on the
 * built code (dist/, `npm run build`) under plain node: what the daemon runs, without tsx's loader.
 *   node bench/inventory-load-child.mjs empty|imports|before|after|cached|prime FILE CACHE
 * prints one JSON line { ms, cpuMs, peakRssMiB, servers, failovers, fromCache } (cpuMs: the process's, GC threads
 * included). `empty` imports nothing; `imports` the modules of the others, loading nothing; `before` the js-yaml
 * path (the whole tree, then the whole-file validation); `after` loadInventory (no cache); `cached` a load through
 * the compiled cache CACHE (loadInventoryCached); `prime` the same, then writes the cache.
 */
import { peakRssBytes } from '../test/helpers/peak-rss.mjs';

/** This process's peak RSS, MiB (VmHWM: a child of bench:detect must not count the bench's pages). */
const peakRssMiB = () => peakRssBytes() / 1048576;

const [mode, file, cacheFile] = process.argv.slice(2);
if (mode === 'empty') {
  process.stdout.write(JSON.stringify({ ms: 0, cpuMs: 0, peakRssMiB: peakRssMiB(), servers: 0, failovers: 0, fromCache: false }) + '\n');
  process.exit(0);
}
const dist = new URL('../dist/', import.meta.url);
const { MAX_INVENTORY_BYTES, readUserFile } = await import(new URL('common/read-user-file.js', dist).href);
const { FileProblems, parseYamlFile } = await import(new URL('common/yaml-errors.js', dist).href);
const { loadInventory } = await import(new URL('inventory/load.js', dist).href);
const { loadInventoryCached } = await import(new URL('inventory/cache.js', dist).href);
const { resolveInventory } = await import(new URL('inventory/resolve.js', dist).href);
const { validateInventory } = await import(new URL('inventory/validate.js', dist).href);

function jsYamlPath(f) {
  const y = parseYamlFile(f, readUserFile(f, MAX_INVENTORY_BYTES, 'an inventory'));
  const problems = new FileProblems(y);
  const inv = resolveInventory(validateInventory(y, problems), problems);
  if (problems.size > 0) throw new Error(problems.located()[0]);
  return inv;
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let inv = null;
let fromCache = false;
let save = null;
if (mode === 'before') inv = jsYamlPath(file);
else if (mode === 'after') inv = loadInventory(file);
else if (mode === 'cached' || mode === 'prime') ({ inventory: inv, fromCache, save } = loadInventoryCached(file, cacheFile));
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const r = { ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMiB: peakRssMiB(), servers: inv?.servers.size ?? 0, failovers: inv?.failovers.size ?? 0, fromCache };
if (mode === 'prime') await save?.();
process.stdout.write(JSON.stringify(r) + '\n');
