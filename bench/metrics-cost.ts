/**
 * Metrics-cost benchmark (`npm run bench:metrics`): the replay of the bench capture (capture.ts, 1,000,000 frames by
 * default) with metrics off, and with metrics on into a real influxd (Debian's 1.x, started here in a temp dir on a
 * free loopback port), in the same process and the same run, round after round, best of each kept. Prints both rates
 * and what the metrics cost, against the target of issue 10: at most 10 % of the replay rate.
 *
 *   npm run bench:metrics
 *   npm run bench:metrics -- --frames 200000 --runs 5
 *   npm run bench:metrics -- --detect     # with detection: detect-capture.ts's 1M-frame capture and its 100,000-server
 *                                         # inventory, as `replay FILE --inventory INV --influx URL` (the command)
 *   npm run bench:metrics -- --all        # both, one after the other against one influxd, both verdicts at the end
 *
 * "On" is what `replay FILE --influx URL` does: the telemetry snapshot every 10 s of packet time as points, through
 * the bounded pump, to influxd, the database check (beside the replay) and the wait at the end until influxd has
 * them all (the timing includes both).
 * A benchmark, not a test: it exits 0 whatever the figures are.
 */
import { parseArgs } from 'node:util';
import { FileSource } from '../src/capture/file-source.js';
import { defaultConfig } from '../src/config/schema.js';
import { replayMetrics } from '../src/metrics/replay-metrics.js';
import { replayFile } from '../src/pipeline/replay.js';
import { Telemetry } from '../src/telemetry/telemetry.js';
import { Influxd } from '../test/integration/helpers/influxd.js';
import { loadInventory } from '../src/inventory/load.js';
import type { InventoryIndex } from '../src/inventory/inventory-index.js';
import { benchParams, checkSummary, DEFAULT_FRAMES, DEFAULT_SEED, ensureCapture, positiveInt, warn } from './capture.js';
import { captureParams, ensureDetectCapture, ensureInventory, inventoryParams } from './detect-capture.js';

const TARGET_COST = 0.1;

const cli = parseArgs({
  options: {
    frames: { type: 'string', default: String(DEFAULT_FRAMES) },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    runs: { type: 'string', default: '3' },
    detect: { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});
const params = benchParams(positiveInt('frames', cli.values.frames), positiveInt('seed', cli.values.seed));
const RUNS = positiveInt('runs', cli.values.runs);

/** this process's CPU time since `from` (user + system), seconds: a shared machine's other load does not count in it */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

function ms(seconds: number): string {
  return `${(seconds * 1000).toFixed(0)} ms`;
}

function rate(frames: number, seconds: number): string {
  return `${(frames / seconds / 1e6).toFixed(2)} M frames/s`;
}

interface Verdict {
  lines: string[];
}

async function measure(detect: boolean, influxd: Influxd): Promise<Verdict> {
  let file: string;
  let frames: number;
  let check: ((summary: Parameters<typeof checkSummary>[0]) => void) | null = null;
  let inventory: InventoryIndex | null = null;
  let seconds = 0;
  if (detect) {
    const inv = ensureInventory(inventoryParams());
    const cap = ensureDetectCapture(captureParams(inventoryParams(), params.frames));
    inventory = loadInventory(inv.file);
    ({ file } = cap);
    frames = cap.expected.frames;
    seconds = (cap.expected.lastTsMicros - cap.expected.firstTsMicros) / 1e6;
  } else {
    const c = ensureCapture(params);
    const expected = c.expected;
    ({ file } = c);
    frames = expected.frames;
    seconds = (expected.lastTsMicros - expected.firstTsMicros) / 1e6;
    check = (summary) => warn('replay', checkSummary(summary, expected));
  }
  const config = defaultConfig();
  const off: number[] = [];
  const offCpu: number[] = [];
  const on: { seconds: number; cpu: number; points: number; prepare: number; flush: number }[] = [];
  {
    console.log(`  file     ${file}: ${frames.toLocaleString('en-US')} frames over ${seconds.toFixed(0)} s of packet time${inventory === null ? ', no inventory (decode and traffic summary)' : ', detection on (100,000-server inventory)'}`);
    for (let round = 1; round <= RUNS; round++) {
      let t0 = performance.now();
      let c0 = process.cpuUsage();
      // as `replay FILE` runs without --influx: the same configuration (its top-senders sketch included), no telemetry
      const plain = await replayFile(new FileSource(file), config, inventory);
      off.push((performance.now() - t0) / 1000);
      offCpu.push(cpuSeconds(c0));
      if (round === 1) check?.(plain.summary);

      // a database per round: each run writes the whole timeline anew
      const url = influxd.url(`bench_metrics_${detect ? 'detect_' : ''}${round}`);
      t0 = performance.now();
      c0 = process.cpuUsage();
      const telemetry = new Telemetry();
      const metrics = await replayMetrics(url, config.metrics, telemetry);
      const prepared = performance.now();
      const run = await replayFile(metrics.source(new FileSource(file)), config, inventory, [], telemetry, undefined, metrics.clock);
      const replayed = performance.now();
      const done = await metrics.finish();
      const seconds = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds(c0);
      const prepare = (prepared - t0) / 1000;
      const flush = (performance.now() - replayed) / 1000;
      if (done.notWritten > 0) console.log(`WARNING: ${done.notWritten} points not written (${done.lastError ?? '?'})`);
      if (round === 1) check?.(run.summary);
      const points = (metrics.json() as { written: number }).written;
      on.push({ seconds, cpu, points, prepare, flush });
      console.log(`  round ${round}: off ${off.at(-1)!.toFixed(3)} s (cpu ${offCpu.at(-1)!.toFixed(3)} s), on ${seconds.toFixed(3)} s (cpu ${cpu.toFixed(3)} s; ${points} points; `
        + `of which ${ms(prepare)} setting up (the database check runs beside the replay), ${ms(flush)} waiting at the end for the last points)`);
    }
  }
  const bestOff = Math.min(...off);
  const bestOn = Math.min(...on.map((r) => r.seconds));
  const cost = 1 - bestOff / bestOn;
  const cpuOff = Math.min(...offCpu);
  const cpuOn = Math.min(...on.map((r) => r.cpu));
  const cpuCost = 1 - cpuOff / cpuOn;
  const verdict = (c: number): string => `${(c * 100).toFixed(1)} % of the replay rate (target <= ${TARGET_COST * 100} %)${c > TARGET_COST ? '  OVER TARGET' : ''}`;
  // each round's own on against off (they ran back to back): the median moves less with the machine than best against best
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const paired = median(on.map((r, i) => 1 - off[i] / r.seconds));
  const pairedCpu = median(on.map((r, i) => 1 - offCpu[i] / r.cpu));
  const lines = [
    detect ? '  with detection (--detect: --inventory, 100,000 servers)' : '  no inventory (decode and traffic summary)',
    `  replay, metrics off                 ${rate(frames, bestOff)} wall, ${rate(frames, cpuOff)} of CPU  (best of ${RUNS})`,
    `  replay --influx (metrics on)        ${rate(frames, bestOn)} wall, ${rate(frames, cpuOn)} of CPU  (best of ${RUNS}, ${on[0].points} points each)`,
    `  metrics cost, wall                  ${verdict(cost)}`,
    `  metrics cost, CPU of this process   ${verdict(cpuCost)}`,
    `  round by round (median of each round's on against its off): ${(paired * 100).toFixed(1)} % wall, ${(pairedCpu * 100).toFixed(1)} % CPU`,
  ];
  console.log(['', ...lines, ''].join('\n'));
  return { lines };
}

async function main(): Promise<void> {
  const influxd = await Influxd.start();
  try {
    console.log('arpwarden metrics-cost benchmark');
    console.log(`  date     ${new Date().toISOString()}; node ${process.version}; influxd 1.x on ${influxd.origin}`);
    const modes = cli.values.all ? [false, true] : [cli.values.detect];
    const verdicts: Verdict[] = [];
    for (const detect of modes) verdicts.push(await measure(detect, influxd));
    if (verdicts.length > 1) console.log(['both:', ...verdicts.flatMap((v) => v.lines)].join('\n'));
  } finally {
    await influxd.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
