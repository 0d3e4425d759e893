/**
 * The allocation budget of the per-frame path, measured with alloc-meter.ts on
 * a capture held in memory (no file reading in the measured loop): bytes per
 * frame for decode alone (decodeFrame + the traffic summary, what a replay
 * without inventory runs) and for detection (+ DetectionPipeline.onArp:
 * detect, classify, incidents) in steady state: the capture is replayed
 * pass after pass, each shifted in packet time past the previous one, and only
 * the passes after the warm-up are measured, with the incidents of the first
 * pass kept open (a quiet period longer than all the passes): senders tracked,
 * incidents and their samples made, code compiled; what still allocates then
 * allocates per frame. Opening an incident allocates (its verdict, its sample
 * lines): that is counted in the first pass, not held to the budget.
 */
import type { DetectorConfig } from '../src/config/schema.js';
import { FileSource } from '../src/capture/file-source.js';
import { META_FIELDS, type StopFlag } from '../src/capture/frame-source.js';
import type { InventoryIndex } from '../src/inventory/inventory-index.js';
import { DetectionPipeline } from '../src/pipeline/detection.js';
import { frameHandler } from '../src/pipeline/pipeline.js';
import { TrafficSummary } from '../src/pipeline/traffic-summary.js';
import { measureAllocation } from './alloc-meter.js';

/** Steady-state detection allocates at most this many bytes per frame (issue 8). */
export const DETECTION_BUDGET_BYTES_PER_FRAME = 8;

export interface Frames {
  linkType: number;
  count: number;
  bytes: Uint8Array;
  offset: Uint32Array;
  capLen: Uint32Array;
  wireLen: Uint32Array;
  tsMicros: Float64Array;
  /** the frames as one batch of a frame source (META_FIELDS a frame), its times rewritten for each pass */
  meta: Float64Array;
  /** last − first packet time, µs */
  spanMicros: number;
}

/** Every frame of a capture file, copied into one buffer. */
export async function loadFrames(file: string): Promise<Frames> {
  const source = new FileSource(file);
  const chunks: Uint8Array[] = [];
  const meta: number[] = [];
  let total = 0;
  await source.run((frame, offset, capLen, wireLen, tsMicros) => {
    chunks.push(new Uint8Array(frame.subarray(offset, offset + capLen)));
    meta.push(total, capLen, wireLen, tsMicros);
    total += capLen;
  });
  const count = chunks.length;
  const f: Frames = {
    linkType: source.linkType, count, bytes: new Uint8Array(total), offset: new Uint32Array(count), capLen: new Uint32Array(count),
    wireLen: new Uint32Array(count), tsMicros: new Float64Array(count), meta: new Float64Array(count * META_FIELDS), spanMicros: 0,
  };
  for (let i = 0; i < count; i++) {
    f.bytes.set(chunks[i], meta[4 * i]);
    f.offset[i] = meta[4 * i]; f.capLen[i] = meta[4 * i + 1]; f.wireLen[i] = meta[4 * i + 2]; f.tsMicros[i] = meta[4 * i + 3];
    f.meta[i * META_FIELDS] = f.offset[i]; f.meta[i * META_FIELDS + 1] = f.capLen[i]; f.meta[i * META_FIELDS + 2] = f.wireLen[i];
  }
  f.spanMicros = count === 0 ? 0 : f.tsMicros[count - 1] - f.tsMicros[0];
  return f;
}

export type Handler = ReturnType<typeof frameHandler>;

const RUNNING: Readonly<StopFlag> = { aborted: false };

/**
 * One pass over the frames, `shiftMicros` later in packet time than they were captured, as a frame source
 * hands them over: in one batch to a handler that takes batches (the pipeline's does), else frame by frame.
 */
export function pass(f: Frames, onFrame: Handler, shiftMicros: number): void {
  const batch = onFrame.batch;
  if (batch === undefined) {
    for (let i = 0; i < f.count; i++) onFrame(f.bytes, f.offset[i], f.capLen[i], f.wireLen[i], f.tsMicros[i] + shiftMicros);
    return;
  }
  for (let i = 0; i < f.count; i++) f.meta[i * META_FIELDS + 3] = f.tsMicros[i] + shiftMicros;
  batch(f.bytes, f.meta, 0, f.count, RUNNING);
}

/** Passes of the capture that make at least `minFrames` frames. */
function passesFor(f: Frames, minFrames: number): number {
  return Math.max(1, Math.ceil(minFrames / Math.max(1, f.count)));
}

/**
 * Decode alone (decodeFrame + traffic summary), bytes per frame, over passes
 * of at least `minFrames` frames after warm-up passes of as many (the
 * optimizing compiler puts its code and feedback on the heap too). Measure
 * decode and detection in separate processes: a second frame handler in the
 * same process makes the first one's call sites polymorphic, and what is
 * measured is then no longer what a daemon (one handler) runs.
 */
export function decodeBytesPerFrame(f: Frames, minFrames = 500_000): number {
  const passes = passesFor(f, minFrames);
  const onFrame = frameHandler(f.linkType, new TrafficSummary());
  const period = f.spanMicros + 1e6;
  let k = 0;
  const run = (n: number): void => { for (let i = 0; i < n; i++) pass(f, onFrame, k++ * period); };
  run(passes);
  return measureAllocation(() => run(passes)).bytes / (f.count * passes);
}

export interface DetectionFigures {
  /** bytes per frame, decode + detection + classify + incidents: the first pass (senders and incidents created) */
  firstPass: number;
  /** the same, steady state: after warm-up, the first pass's incidents still open */
  steady: number;
}

export function detectionBytesPerFrame(f: Frames, inv: InventoryIndex, cfg: DetectorConfig, minFrames = 500_000): DetectionFigures {
  const passes = passesFor(f, minFrames);
  const period = f.spanMicros + 1e6;
  // incidents stay open through every pass: reopening them would be counted per pass, and that is per incident, not per frame
  const detection = new DetectionPipeline(inv, { ...cfg, quiet_period_seconds: Math.max(cfg.quiet_period_seconds, (3 * passes * period) / 1e6) });
  const onFrame = frameHandler(f.linkType, new TrafficSummary(), detection.onArp);
  let k = 0;
  const run = (n: number): void => { for (let i = 0; i < n; i++) pass(f, onFrame, k++ * period); };
  const first = measureAllocation(() => run(1));
  // two passes at least before measuring: incidents opened late in the first still take samples in the second
  run(Math.max(2, passes) - 1);
  const steady = measureAllocation(() => run(passes));
  return { firstPass: first.bytes / f.count, steady: steady.bytes / (f.count * passes) };
}
