/**
 * Inventory load benchmark (`npm run bench:inventory`): how long loading the detection bench's inventory
 * (100,000 servers, 200,000 failover IPs; bench/detect-capture.ts) takes and its peak RSS, before (js-yaml,
 * then the whole-file validation) and after (the line reader, validation entry by entry: loadInventory), each
 * in a child process of its own (bench/inventory-load-child.ts) so that the RSS is that load's, alternating,
 * best of N; beside a child that imports the same and loads nothing (the RSS every process starts with).
 *
 *   npm run bench:inventory
 *   npm run bench:inventory -- --runs 5 --servers 20000
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { positiveInt, ROOT } from './capture.js';
import { ensureInventory, inventoryParams } from './detect-capture.js';

const cli = parseArgs({ options: { runs: { type: 'string', default: '3' }, servers: { type: 'string', default: '100000' } } });
const runs = positiveInt('runs', cli.values.runs);
const { file, expected } = ensureInventory(inventoryParams(positiveInt('servers', cli.values.servers)));
const TARGET_MS = 1000;
const TARGET_MIB = 150;

const resultSchema = z.object({ ms: z.number(), cpuMs: z.number(), peakRssMiB: z.number(), servers: z.number(), failovers: z.number() });
type Mode = 'baseline' | 'before' | 'after';

function measure(mode: Mode): z.infer<typeof resultSchema> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'inventory-load-child.ts'), mode, file], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${mode}: status ${r.status}: ${r.stderr.trim().split('\n')[0]}`);
  return resultSchema.parse(JSON.parse(r.stdout));
}

const modes: Mode[] = ['baseline', 'before', 'after'];
const best = new Map<Mode, { ms: number; cpuMs: number; peakRssMiB: number }>();
for (let i = 0; i < runs; i++) {
  for (const mode of modes) {
    const r = measure(mode);
    if (mode !== 'baseline' && (r.servers !== expected.servers || r.failovers < expected.failovers)) {
      console.log(`WARNING: ${mode} loaded ${r.servers} servers and ${r.failovers} failover IPs, expected ${expected.servers} and ${expected.failovers}`);
    }
    const b = best.get(mode);
    best.set(mode, { ms: Math.min(b?.ms ?? Infinity, r.ms), cpuMs: Math.min(b?.cpuMs ?? Infinity, r.cpuMs), peakRssMiB: Math.min(b?.peakRssMiB ?? Infinity, r.peakRssMiB) });
  }
}
const rel = path.relative(ROOT, file);
const [l1] = os.loadavg();
console.log(`inventory load: ${rel} (${expected.servers.toLocaleString('en-US')} servers, ${expected.failovers.toLocaleString('en-US')} failover IPs), best of ${runs}, load average ${l1.toFixed(2)}`);
console.log('| | load (wall) | CPU | peak RSS | the load\'s own RSS (peak − baseline) |');
console.log('| --- | --- | --- | --- | --- |');
const base = best.get('baseline')!;
console.log(`| a child that loads nothing | | | ${base.peakRssMiB.toFixed(0)} MiB | |`);
for (const mode of ['before', 'after'] as const) {
  const b = best.get(mode)!;
  const name = mode === 'before' ? 'before: js-yaml, whole-file validation' : 'after: `loadInventory` (line reader, entry by entry)';
  console.log(`| ${name} | ${(b.ms / 1000).toFixed(2)} s | ${(b.cpuMs / 1000).toFixed(2)} s | ${b.peakRssMiB.toFixed(0)} MiB | ${(b.peakRssMiB - base.peakRssMiB).toFixed(0)} MiB |`);
}
const after = best.get('after')!;
console.log(`target: ≤ ${TARGET_MS / 1000} s and ≤ ${TARGET_MIB} MiB peak RSS: ${after.ms <= TARGET_MS ? 'time met' : 'time NOT met'}, ${after.peakRssMiB <= TARGET_MIB ? 'RSS met' : 'RSS NOT met'}`);
