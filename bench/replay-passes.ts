/**
 * Where the live capture's CPU a frame goes that a benchmark's replay does not spend: the 1M-frame detection
 * capture (bench:live's) replayed in one process, pass after pass, as the capture daemon runs it (the
 * inventory loaded from its YAML first, default configuration, telemetry on; with --stream the daemon's
 * stream sink writing each incident change as JSON into /dev/null). Per pass: CPU µs a frame of the whole
 * process and of its main thread, and V8's collections in it. The first pass is the capture's (the code
 * not yet optimized, the inventory load's garbage still to collect); the later ones are what an in-process
 * replay benchmark reports. A benchmark: exits 0 whatever the figures.
 *
 *   flock /work/bench.lock npx tsx bench/replay-passes.ts [--passes 3] [--stream] [--no-telemetry]
 *
 * --no-telemetry: as bench:detect replays (no per-sender telemetry), where the daemon always has it.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { PerformanceObserver } from 'node:perf_hooks';
import { FileSource } from '../src/capture/file-source.js';
import { defaultConfig } from '../src/config/schema.js';
import { loadInventory } from '../src/inventory/load.js';
import { replayFile } from '../src/pipeline/replay.js';
import { StreamSink } from '../src/sinks/stream-sink.js';
import { Telemetry } from '../src/telemetry/telemetry.js';
import { captureParams, ensureDetectCapture, ensureInventory, inventoryParams } from './detect-capture.js';

const cli = parseArgs({ options: { passes: { type: 'string', default: '3' }, stream: { type: 'boolean', default: false }, 'no-telemetry': { type: 'boolean', default: false } } });

/** CPU seconds so far (user + system) of a /proc stat file: the process's, or one thread's. */
function statSeconds(file: string): number {
  const stat = fs.readFileSync(file, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
const processCpu = (): number => statSeconds('/proc/self/stat');
const mainCpu = (): number => statSeconds(`/proc/self/task/${process.pid}/stat`);

const gc = { ms: 0, count: 0, major: 0, majorMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.ms += e.duration;
    gc.count++;
    // NODE_PERFORMANCE_GC_MAJOR
    if (((e as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind === 4) {
      gc.major++;
      gc.majorMs += e.duration;
    }
  }
}).observe({ entryTypes: ['gc'] });

const inv = inventoryParams();
const { file: inventoryFile } = ensureInventory(inv);
const { file } = ensureDetectCapture(captureParams(inv));
const inventory = loadInventory(inventoryFile);
const config = defaultConfig();
const devNull = fs.createWriteStream('/dev/null');
console.log(`replay passes: ${file}, inventory loaded; ${cli.values.stream ? 'stream sink (JSON) into /dev/null' : 'no sink'}, ${cli.values['no-telemetry'] ? 'no telemetry' : 'telemetry'}; load ${os.loadavg()[0].toFixed(1)}`);
for (let pass = 1; pass <= Number(cli.values.passes); pass++) {
  const [p0, m0, g0] = [processCpu(), mainCpu(), { ...gc }];
  const run = await replayFile(new FileSource(file), config, inventory, cli.values.stream ? [new StreamSink(devNull, 'json')] : [], cli.values['no-telemetry'] ? undefined : new Telemetry());
  // the collections' entries come on a later turn
  await new Promise((r) => setImmediate(r));
  const frames = run.summary.frames;
  const us = (s: number): string => ((s / frames) * 1e6).toFixed(2);
  console.log(`  pass ${pass} (load ${os.loadavg()[0].toFixed(1)}): ${us(processCpu() - p0)} µs of CPU a frame, main thread ${us(mainCpu() - m0)}; `
    + `${gc.count - g0.count} collections, ${(gc.ms - g0.ms).toFixed(0)} ms (${gc.major - g0.major} major, ${(gc.majorMs - g0.majorMs).toFixed(0)} ms); ${run.detection?.incidents?.length ?? 0} incidents`);
}
devNull.end();
