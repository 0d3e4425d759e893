/**
 * Metrics-cost benchmark (`npm run bench:metrics`): the replay of the bench capture (capture.ts, 1,000,000 frames by
 * default) with metrics off, and with metrics on into a real influxd (Debian's 1.x, started here in a temp dir on a
 * free loopback port), in the same process and the same run, round after round, best of each kept. Prints both rates
 * and what the metrics cost, against the target of issue 10: at most 10 % of the replay rate.
 *
 *   npm run bench:metrics
 *   npm run bench:metrics -- --frames 200000 --runs 5 --warmup 1
 *   npm run bench:metrics -- --detect     # with detection: detect-capture.ts's 1M-frame capture and its 100,000-server
 *                                         # inventory, as `replay FILE --inventory INV --influx URL` (the issue's command)
 *   npm run bench:metrics -- --all        # both, one after the other against one influxd, both verdicts at the end
 *
 * "On" is what `replay FILE --influx URL` does: the telemetry snapshot every 10 s of packet time as points, through
 * the bounded pump, to influxd, the database check (beside the replay) and the wait at the end until influxd has
 * them all (the timing includes both).
 * The rounds run in a child process on the built code under plain node (bench/metrics-cost-child.mjs, after `npm run
 * build`): what `arpwarden replay` runs. Under tsx's loader the snapshots took twice as long as in dist/ (session 9).
 * A benchmark, not a test: it exits 0 whatever the figures are.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { Influxd } from '../test/integration/helpers/influxd.js';
import { benchParams, checkCounts, DEFAULT_FRAMES, DEFAULT_SEED, ensureCapture, type Expected, positiveInt, ROOT, type SummaryCounts, warn } from './capture.js';
import { captureParams, ensureDetectCapture, ensureInventory, inventoryParams } from './detect-capture.js';

const TARGET_COST = 0.1;

const cli = parseArgs({
  options: {
    frames: { type: 'string', default: String(DEFAULT_FRAMES) },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '4' },
    detect: { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});
const params = benchParams(positiveInt('frames', cli.values.frames), positiveInt('seed', cli.values.seed));
const RUNS = positiveInt('runs', cli.values.runs);
/** rounds of each first, not counted: the JIT compiles the metrics' code in them (this process's CPU stayed above the steady state for the first four or five with metrics on) */
const WARMUP = Number(cli.values.warmup);
if (!Number.isInteger(WARMUP) || WARMUP < 0) throw new Error(`--warmup: ${cli.values.warmup} is not a whole number`);

function ms(seconds: number): string {
  return `${(seconds * 1000).toFixed(0)} ms`;
}

function rate(frames: number, seconds: number): string {
  return `${(frames / seconds / 1e6).toFixed(2)} M frames/s`;
}

interface Verdict {
  lines: string[];
}

/** One line of bench/metrics-cost-child.mjs: a round, off then on (seconds). */
interface Round {
  round: number;
  off: number;
  offCpu: number;
  on: number;
  onCpu: number;
  prepare: number;
  flush: number;
  points: number;
  notWritten: number;
  lastError: string | null;
  counts: [SummaryCounts, SummaryCounts] | null;
}

/** The child's rounds, each handed to `each` as it ends; rejects when the child fails. */
function rounds(spec: object, each: (r: Round) => void): Promise<Round[]> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'metrics-cost-child.mjs'), JSON.stringify(spec)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const out: Round[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const r = JSON.parse(line) as Round;
    out.push(r);
    each(r);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`bench/metrics-cost-child.mjs ended with status ${code}`))));
  });
}

async function measure(detect: boolean, influxd: Influxd): Promise<Verdict> {
  let file: string;
  let frames: number;
  let expected: Expected | null = null;
  let inventory: string | null = null;
  let seconds = 0;
  if (detect) {
    const inv = ensureInventory(inventoryParams());
    const cap = ensureDetectCapture(captureParams(inventoryParams(), params.frames));
    inventory = inv.file;
    ({ file } = cap);
    frames = cap.expected.frames;
    seconds = (cap.expected.lastTsMicros - cap.expected.firstTsMicros) / 1e6;
  } else {
    const c = ensureCapture(params);
    ({ file, expected } = c);
    frames = expected.frames;
    seconds = (expected.lastTsMicros - expected.firstTsMicros) / 1e6;
  }
  console.log(`  file     ${file}: ${frames.toLocaleString('en-US')} frames over ${seconds.toFixed(0)} s of packet time${inventory === null ? ', no inventory (decode and traffic summary)' : ', detection on (100,000-server inventory)'}`);
  const spec = { file, inventory, origin: influxd.origin, database: `bench_metrics_${detect ? 'detect_' : ''}`, warmup: WARMUP, runs: RUNS };
  const rows = await rounds(spec, (r) => {
    if (r.notWritten > 0) console.log(`WARNING: ${r.notWritten} points not written (${r.lastError ?? '?'})`);
    if (r.counts !== null && expected !== null) {
      warn('replay, metrics off', checkCounts(r.counts[0], expected));
      warn('replay, metrics on', checkCounts(r.counts[1], expected));
    }
    console.log(`  ${r.round <= 0 ? 'warm-up' : `round ${r.round}`}: off ${r.off.toFixed(3)} s (cpu ${r.offCpu.toFixed(3)} s), on ${r.on.toFixed(3)} s (cpu ${r.onCpu.toFixed(3)} s; ${r.points} points; `
      + `of which ${ms(r.prepare)} setting up (the database check runs beside the replay), ${ms(r.flush)} waiting at the end for the last points)`);
  });
  const all = rows.filter((r) => r.round > 0);
  const bestOff = Math.min(...all.map((r) => r.off));
  const bestOn = Math.min(...all.map((r) => r.on));
  const cost = 1 - bestOff / bestOn;
  const cpuOff = Math.min(...all.map((r) => r.offCpu));
  const cpuOn = Math.min(...all.map((r) => r.onCpu));
  const cpuCost = 1 - cpuOff / cpuOn;
  const verdict = (c: number): string => `${(c * 100).toFixed(1)} % of the replay rate (target <= ${TARGET_COST * 100} %)${c > TARGET_COST ? '  OVER TARGET' : ''}`;
  // each round's own on against off (they ran back to back): the median moves less with the machine than best against best
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const paired = median(all.map((r) => 1 - r.off / r.on));
  const pairedCpu = median(all.map((r) => 1 - r.offCpu / r.onCpu));
  const lines = [
    detect ? '  with detection (--detect: --inventory, 100,000 servers)' : '  no inventory (decode and traffic summary)',
    `  replay, metrics off                 ${rate(frames, bestOff)} wall, ${rate(frames, cpuOff)} of CPU  (best of ${RUNS}, after ${WARMUP} warm-up rounds)`,
    `  replay --influx (metrics on)        ${rate(frames, bestOn)} wall, ${rate(frames, cpuOn)} of CPU  (best of ${RUNS}, ${all[0].points} points each)`,
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
    console.log(`  date     ${new Date().toISOString()}; node ${process.version}; influxd 1.x on ${influxd.origin}; the built code (dist/) under plain node`);
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
