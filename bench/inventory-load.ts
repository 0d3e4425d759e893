/**
 * Inventory load benchmark (`npm run bench:inventory`, which builds dist/ first): how long loading the detection
 * bench's inventory (100,000 servers, 200,000 failover IPs; bench/detect-capture.ts) takes and its peak RSS, each
 * in a child process of its own running the built code under plain node (bench/inventory-load-child.mjs), so that
 * the RSS is that load's and not tsx's; alternating, best of N. `before`: js-yaml, then the whole-file validation;
 * cold: loadInventory (no cache); cached: the compiled cache of the same file (src/inventory/cache.ts), written once
 * before the rounds. Beside them, an empty `node` and a child that imports the same modules and loads nothing.
 * Then the reload (bench/reload-pause.ts): SIGHUP reloads of the same file in a capture daemon under a flood, and the
 * longest the capture's thread was held by each, against the flood alone (target: at most 50 ms more).
 *
 *   npm run bench:inventory
 *   npm run bench:inventory -- --runs 5 --servers 20000
 *
 * `npm run bench:detect` runs the same (inventoryFigures) at its end, for the one table of issue 12.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { positiveInt, ROOT } from './capture.js';
import { ensureInventory, inventoryParams } from './detect-capture.js';
import { MAX_RELOAD_STALL_MS, reloadPause, reloadRoundLine } from './reload-pause.js';

const TARGET_MS = 1000;
const TARGET_MIB = 150;

const resultSchema = z.object({ ms: z.number(), cpuMs: z.number(), peakRssMiB: z.number(), servers: z.number(), failovers: z.number(), fromCache: z.boolean() });
type Mode = 'empty' | 'imports' | 'before' | 'after' | 'cached' | 'prime';
type Result = z.infer<typeof resultSchema>;

/** A target of the issue and whether this run met it, for a summary table. */
export interface Verdict {
  target: string;
  figure: string;
  met: boolean;
}

/** The load table (best of `runs`, a child each) and the reload's pause (at least 3 rounds): printed lines and verdicts. */
export async function inventoryFigures(servers: number, runs: number): Promise<{ lines: string[]; verdicts: Verdict[] }> {
  const { file, expected } = ensureInventory(inventoryParams(servers));
  const cacheFile = path.join(ROOT, 'bench', 'out', `${path.basename(file)}.cache`);
  const lines: string[] = [];
  const verdicts: Verdict[] = [];
  const measure = (mode: Mode): Result => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'inventory-load-child.mjs'), mode, file, cacheFile], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${mode}: status ${r.status}: ${r.stderr.trim().split('\n')[0]}`);
    return resultSchema.parse(JSON.parse(r.stdout));
  };
  fs.rmSync(cacheFile, { force: true });
  if (measure('prime').fromCache) throw new Error(`${cacheFile}: a cache was there after its removal`);
  const modes: Mode[] = ['empty', 'imports', 'before', 'after', 'cached'];
  const best = new Map<Mode, { ms: number; cpuMs: number; peakRssMiB: number }>();
  for (let i = 0; i < runs; i++) {
    for (const mode of modes) {
      const r = measure(mode);
      if (mode === 'cached' && !r.fromCache) throw new Error('cached: the cache was not used');
      if (['before', 'after', 'cached'].includes(mode) && (r.servers !== expected.servers || r.failovers < expected.failovers)) {
        lines.push(`WARNING: ${mode} loaded ${r.servers} servers and ${r.failovers} failover IPs, expected ${expected.servers} and ${expected.failovers}`);
      }
      const b = best.get(mode);
      best.set(mode, { ms: Math.min(b?.ms ?? Infinity, r.ms), cpuMs: Math.min(b?.cpuMs ?? Infinity, r.cpuMs), peakRssMiB: Math.min(b?.peakRssMiB ?? Infinity, r.peakRssMiB) });
    }
  }
  const rel = path.relative(ROOT, file);
  const [l1] = os.loadavg();
  const cacheMiB = fs.statSync(cacheFile).size / 1048576;
  lines.push(`inventory load: ${rel} (${expected.servers.toLocaleString('en-US')} servers, ${expected.failovers.toLocaleString('en-US')} failover IPs), node ${process.version} on dist/, best of ${runs}, load average ${l1.toFixed(2)}`);
  lines.push('| | load (wall) | CPU | peak RSS | the load\'s own RSS (peak − imports) |');
  lines.push('| --- | --- | --- | --- | --- |');
  const imports = best.get('imports')!;
  lines.push(`| \`node\`, nothing imported | | | ${best.get('empty')!.peakRssMiB.toFixed(0)} MiB | |`);
  lines.push(`| the modules imported, nothing loaded | | | ${imports.peakRssMiB.toFixed(0)} MiB | |`);
  const names: Record<'before' | 'after' | 'cached', string> = {
    before: 'before: js-yaml, whole-file validation',
    after: 'cold: `loadInventory` (bytes straight into the columns)',
    cached: `cached: \`loadInventoryCached\`, the file's sha256, the index from the cache (${cacheMiB.toFixed(1)} MiB)`,
  };
  for (const mode of ['before', 'after', 'cached'] as const) {
    const b = best.get(mode)!;
    lines.push(`| ${names[mode]} | ${(b.ms / 1000).toFixed(2)} s | ${(b.cpuMs / 1000).toFixed(2)} s | ${b.peakRssMiB.toFixed(0)} MiB | ${(b.peakRssMiB - imports.peakRssMiB).toFixed(0)} MiB |`);
  }
  for (const mode of ['after', 'cached'] as const) {
    const b = best.get(mode)!;
    const what = mode === 'after' ? 'cold' : 'cached';
    lines.push(`target (${what}): ≤ ${TARGET_MS / 1000} s and ≤ ${TARGET_MIB} MiB peak RSS: ${b.ms <= TARGET_MS ? 'time met' : 'time NOT met'}, ${b.peakRssMiB <= TARGET_MIB ? 'RSS met' : 'RSS NOT met'}`);
    verdicts.push({ target: `inventory load, ${what}: ≤ ${TARGET_MS / 1000} s, ≤ ${TARGET_MIB} MiB peak RSS`, figure: `${(b.ms / 1000).toFixed(2)} s, ${b.peakRssMiB.toFixed(0)} MiB`, met: b.ms <= TARGET_MS && b.peakRssMiB <= TARGET_MIB });
  }

  const reload = await reloadPause(file, Math.max(3, runs));
  lines.push('');
  lines.push(`inventory reload (SIGHUP) of the same file in a capture daemon under a flood of 200 frames a millisecond, ${reload.rounds.length} rounds `
    + '(the worker runs the sources through tsx here: dist/\'s starts sooner; the pause is what counts):');
  for (const r of reload.rounds) lines.push(`  ${reloadRoundLine(r)}`);
  const stall = reload.best.withReload - reload.best.without;
  lines.push(`target: a reload holds the capture's thread at most ${MAX_RELOAD_STALL_MS} ms more than the flood alone: ${stall.toFixed(1)} ms (best round) — ${stall <= MAX_RELOAD_STALL_MS ? 'MET' : 'NOT MET'}; `
    + `${reload.frames.toLocaleString('en-US')} frames taken meanwhile`);
  verdicts.push({ target: `a reload under a flood holds the loop ≤ ${MAX_RELOAD_STALL_MS} ms more than the flood alone`, figure: `${stall.toFixed(1)} ms (${reload.best.withReload.toFixed(1)} against ${reload.best.without.toFixed(1)})`, met: stall <= MAX_RELOAD_STALL_MS });
  return { lines, verdicts };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cli = parseArgs({ options: { runs: { type: 'string', default: '3' }, servers: { type: 'string', default: '100000' } } });
  const { lines } = await inventoryFigures(positiveInt('servers', cli.values.servers), positiveInt('runs', cli.values.runs));
  for (const l of lines) console.log(l);
}
