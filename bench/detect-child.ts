/**
 * The detection benchmark's child processes (bench/detect-rate.ts starts them;
 * they also run by hand):
 *
 *   node --expose-gc --import tsx bench/detect-child.ts memory --capture FLOOD.pcap --inventory INV.yaml
 *     a flood replayed with detection on, at the default caps: peak RSS, RSS and
 *     heap (after a forced GC) as the flood grows, heap with the full sender
 *     table against an empty detector, bytes per tracked sender;
 *
 *   node --import tsx bench/detect-child.ts alloc --stage decode|detection --capture FILE.pcap --inventory INV.yaml
 *     bytes allocated per frame (alloc-budget.ts), one stage per process: decode
 *     alone, or detection on the first pass and in steady state; exits 1 when
 *     steady-state detection is over its budget;
 *
 *   node --cpu-prof --import tsx bench/detect-child.ts replay --capture FILE.pcap --inventory INV.yaml [--runs 3]
 *     loads the inventory, then replays the capture with detection on --runs times
 *     (for a CPU profile of the replay: detect-rate.ts leaves loadInventory's samples out).
 */
import { parseArgs } from 'node:util';
import { FileSource } from '../src/capture/file-source.js';
import { defaultConfig } from '../src/config/schema.js';
import { SenderTable } from '../src/detect/sender-table.js';
import { loadInventory } from '../src/inventory/load.js';
import { DetectionPipeline } from '../src/pipeline/detection.js';
import { type ReplayRun, replayFile } from '../src/pipeline/replay.js';
import { DETECTION_BUDGET_BYTES_PER_FRAME, decodeBytesPerFrame, detectionBytesPerFrame, loadFrames } from './alloc-budget.js';
import { mib } from './capture.js';
import { peakRssBytes as maxRss } from '../test/helpers/peak-rss.mjs';

const cli = parseArgs({
  options: {
    capture: { type: 'string' },
    inventory: { type: 'string' },
    runs: { type: 'string', default: '3' },
    stage: { type: 'string' },
  },
  allowPositionals: true,
});
const mode = cli.positionals[0];
const captureFile = cli.values.capture;
const inventoryFile = cli.values.inventory;
if ((mode !== 'memory' && mode !== 'replay' && mode !== 'alloc') || captureFile === undefined || inventoryFile === undefined) {
  console.error('usage: detect-child.ts memory|replay|alloc --capture FILE.pcap --inventory INV.yaml [--runs N]');
  process.exit(2);
}

/** 60-byte frames: 16-byte record header + 60 bytes each after the 24-byte file header. */
const RECORD_BYTES = 76;

interface Mem { rss: number; heapUsed: number; arrayBuffers: number; external: number }

function gcNow(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  // twice: the first may only promote what the second frees
  gc();
  gc();
}

function mem(): Mem {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, external: m.external };
}


const MiB = (n: number): string => mib(n).padStart(10);

async function memory(capture: string, invFile: string): Promise<void> {
  const cfg = defaultConfig();
  const d = cfg.detector;
  gcNow();
  const start = mem();
  const inv = loadInventory(invFile);
  gcNow();
  const loaded = mem();
  // the empty detector: its fixed allocations (the pending ring's typed arrays), before any frame
  let empty: DetectionPipeline | null = new DetectionPipeline(inv, d, [], { recordAll: true });
  gcNow();
  const emptyMem = mem();
  const emptyStats = empty.detector.stats();
  empty = null;

  console.log(`memory: flood replayed with detection on, default caps (max_senders ${d.max_senders.toLocaleString('en-US')}, max_pending ${d.max_pending.toLocaleString('en-US')})`);
  console.log(`  process start         rss ${MiB(start.rss)}  heap ${MiB(start.heapUsed)}  (node + tsx + modules)`);
  console.log(`  inventory loaded      rss ${MiB(loaded.rss)}  heap ${MiB(loaded.heapUsed)}  array buffers ${MiB(loaded.arrayBuffers)}`);
  console.log(`  + empty detector      rss ${MiB(emptyMem.rss)}  heap ${MiB(emptyMem.heapUsed)}  array buffers ${MiB(emptyMem.arrayBuffers)}  (${emptyStats.senders} senders)`);

  const checkpoints = [250_000, 500_000, 750_000, 1_000_000, 2_000_000, 4_000_000];
  let next = 0;
  let source: FileSource | null = new FileSource(capture, {
    onProgress: (bytes) => {
      const frames = Math.floor((bytes - 24) / RECORD_BYTES);
      if (next >= checkpoints.length || frames < checkpoints[next]) return;
      while (next < checkpoints.length && frames >= checkpoints[next]) next++;
      const rssNow = process.memoryUsage().rss;
      gcNow();
      const m = mem();
      console.log(`  after ${frames.toLocaleString('en-US').padStart(9)} frames  rss ${MiB(rssNow)}  heap after GC ${MiB(m.heapUsed)}  array buffers ${MiB(m.arrayBuffers)}  peak rss ${MiB(maxRss())}`);
    },
  });
  const t0 = performance.now();
  let run: ReplayRun | null = await replayFile(source, cfg, inv);
  const seconds = (performance.now() - t0) / 1000;
  source = null; // its batch buffers (1.3 MiB) are not the detector's either
  const detection = run.detection!;
  const frames = run.summary.frames;
  run = null; // the traffic summary is not the detector's: let it go before measuring
  gcNow();
  const full = mem();
  const st = detection.detector.stats();
  const peak = maxRss();
  const heapDelta = full.heapUsed - emptyMem.heapUsed;
  const bufDelta = full.arrayBuffers - emptyMem.arrayBuffers;
  console.log(`  end (${frames.toLocaleString('en-US')} frames in ${seconds.toFixed(2)} s, ${(frames / seconds / 1e6).toFixed(2)} M frames/s)`);
  console.log(`  full table            rss ${MiB(full.rss)}  heap ${MiB(full.heapUsed)}  array buffers ${MiB(full.arrayBuffers)}`);
  console.log(`  detector stats        senders ${st.senders.toLocaleString('en-US')}, untracked ${st.sendersUntracked.toLocaleString('en-US')}, evicted ${st.sendersEvicted.toLocaleString('en-US')}, `
    + `pending ${st.pending.toLocaleString('en-US')}, pending dropped ${st.pendingDropped.toLocaleString('en-US')}, ignored ${st.ignored.toLocaleString('en-US')}; `
    + `incidents ${detection.incidents!.length}`);
  console.log(`  peak RSS (VmHWM, since exec)  ${mib(peak)}`);
  if (st.senders > 0) {
    console.log(`  heap used, full table − empty detector: ${mib(heapDelta)} = ${Math.round(heapDelta / st.senders)} bytes per tracked sender`);
    console.log(`  + typed-array backing stores (arrayBuffers, outside the V8 heap): ${mib(bufDelta)} = ${Math.round(bufDelta / st.senders)} bytes per tracked sender`);
    console.log(`  together: ${Math.round((heapDelta + bufDelta) / st.senders)} bytes per tracked sender; at max_senders ${d.max_senders.toLocaleString('en-US')}: ${mib(((heapDelta + bufDelta) / st.senders) * d.max_senders)}`);
    const m = detection.detector.memory();
    console.log(`  of which the sender table's arrays: ${mib(m.senders)} = ${Math.round(m.senders / st.senders)} bytes per tracked sender (measured: records, persistence indexes, free list, hash table)`);
    console.log(`  and the pending requests' ring and pairs: ${mib(m.pending)} (their own cap, max_pending ${d.max_pending.toLocaleString('en-US')}: ${Math.round(m.pending / d.max_pending)} bytes a request; the flood left them at their high-water size)`);
    console.log(`  the sender table's layout: ${SenderTable.bytesPerSender(d.max_senders, d.buckets).toFixed(0)} bytes per sender at max_senders (SenderTable.bytesPerSender: record, persistence index, free list, hash share)`);
  }
}

async function replay(capture: string, invFile: string, runs: number): Promise<void> {
  const cfg = defaultConfig();
  const inv = loadInventory(invFile);
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const run = await replayFile(new FileSource(capture), cfg, inv);
    const s = (performance.now() - t0) / 1000;
    console.log(`  profiled replay ${r + 1}/${runs}: ${s.toFixed(3)} s, ${(run.summary.frames / s / 1e6).toFixed(2)} M frames/s, ${run.detection?.incidents!.length ?? 0} incidents`);
  }
}

/** One figure per process (see decodeBytesPerFrame): `decode` or `detection`. */
async function alloc(capture: string, invFile: string, stage: string | undefined): Promise<void> {
  const frames = await loadFrames(capture);
  if (stage === 'decode') {
    console.log(`  decode alone (decodeFrame + traffic summary), steady state       ${decodeBytesPerFrame(frames).toFixed(2).padStart(8)} bytes/frame`);
    return;
  }
  const a = detectionBytesPerFrame(frames, loadInventory(invFile), defaultConfig().detector);
  const within = a.steady <= DETECTION_BUDGET_BYTES_PER_FRAME;
  console.log(`  detection (decode + detect + classify + incidents), 1st pass   ${a.firstPass.toFixed(2).padStart(8)} bytes/frame  (senders, incidents and their samples created)`);
  console.log(`  detection, steady state (incidents of the 1st pass kept open)  ${a.steady.toFixed(2).padStart(8)} bytes/frame  `
    + `budget ${DETECTION_BUDGET_BYTES_PER_FRAME}: ${within ? 'MET' : 'OVER BUDGET'}`);
  if (!within) process.exitCode = 1;
}

if (mode === 'memory') await memory(captureFile, inventoryFile);
else if (mode === 'alloc') await alloc(captureFile, inventoryFile, cli.values.stage);
else await replay(captureFile, inventoryFile, Number(cli.values.runs));
