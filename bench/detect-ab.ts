/**
 * Two trees' detection on the benchmark's capture, alternating in one process, the capture read into memory
 * once (no libpcap, no disk: a step's effect on the detector is not drowned in the file's read): per tree,
 * CPU time of `replayFile` over the 4M-frame capture, best and median of --runs, their ratio, and whether the
 * detector's counts and the incident count agree. A tree is a directory with src/ (this one, or one made with
 * `git archive REV | tar -x -C DIR`, node_modules and native/build linked to this tree's).
 *
 *   flock /work/bench.lock npx tsx bench/detect-ab.ts --a DIR --b DIR [--runs 10]
 * (about 4 s a round at 2 s a replay)
 *
 * At this machine's load, an A/A run (one tree against a copy of itself) spreads about ±4 %: take a ratio
 * under 0.96 on both best and median, or over 1.04, as a difference, not the figures between.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FrameSource } from '../src/capture/frame-source.js';
import { MemoryCapture } from './memory-capture.js';
import type { Config } from '../src/config/schema.js';
import type { InventoryIndex } from '../src/inventory/inventory-index.js';
import type { ReplayRun } from '../src/pipeline/replay.js';
import { captureParams, ensureDetectCapture, ensureInventory, inventoryParams } from './detect-capture.js';

const cli = parseArgs({ options: { a: { type: 'string' }, b: { type: 'string' }, runs: { type: 'string', default: '10' } } });
if (cli.values.a === undefined || cli.values.b === undefined) {
  console.error('usage: detect-ab.ts --a DIR --b DIR [--runs N]');
  process.exit(2);
}
const runs = Number(cli.values.runs);

const { file: inventoryFile } = ensureInventory(inventoryParams());
// bench:detect's capture (issue 12's workload: 4,000,000 frames, 16 % of the inventory active)
const { file } = ensureDetectCapture(captureParams(inventoryParams(), 4_000_000, 0.16));
const capture = new MemoryCapture(file, 'detect-ab');

interface Tree {
  dir: string;
  replayFile: (source: FrameSource, config: Config, inventory: InventoryIndex) => Promise<ReplayRun>;
  config: Config;
  inventory: InventoryIndex;
  cpu: number[];
  outcome: string;
}

async function load(dir: string): Promise<Tree> {
  const replay = (await import(path.join(dir, 'src/pipeline/replay.ts'))) as typeof import('../src/pipeline/replay.js');
  const inv = (await import(path.join(dir, 'src/inventory/load.ts'))) as typeof import('../src/inventory/load.js');
  const schema = (await import(path.join(dir, 'src/config/schema.ts'))) as typeof import('../src/config/schema.js');
  return { dir, replayFile: replay.replayFile, config: schema.defaultConfig(), inventory: inv.loadInventory(inventoryFile), cpu: [], outcome: '' };
}

const trees = [await load(path.resolve(cli.values.a)), await load(path.resolve(cli.values.b))];
console.log(`detect-ab: ${path.basename(file)} (${capture.frames} frames) in memory, ${runs} rounds, A and B alternating; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (let r = 0; r < runs; r++) {
  for (const t of r % 2 === 0 ? trees : [...trees].reverse()) {
    const c0 = process.cpuUsage();
    const run = await t.replayFile(capture, t.config, t.inventory);
    const c = process.cpuUsage(c0);
    t.cpu.push((c.user + c.system) / 1e6);
    t.outcome = `${run.detection?.incidents?.length ?? 0} incidents, ${JSON.stringify(run.detection?.detector.stats())}`;
  }
}
const best = (a: readonly number[]): number => Math.min(...a);
const median = (a: readonly number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [name, t] of [['A', trees[0]], ['B', trees[1]]] as const) {
  console.log(`${name} ${t.dir}: CPU best ${best(t.cpu).toFixed(3)} s, median ${median(t.cpu).toFixed(3)} s (${t.cpu.map((x) => x.toFixed(2)).join(' ')})`);
}
const [a, b] = trees;
console.log(a.outcome === b.outcome ? `same outcome: ${a.outcome}` : `DIFFERENT outcomes: A ${a.outcome}; B ${b.outcome}`);
console.log(`B/A: best ${(best(b.cpu) / best(a.cpu)).toFixed(3)}, median ${(median(b.cpu) / median(a.cpu)).toFixed(3)}; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
