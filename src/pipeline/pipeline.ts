import { type BatchHandler, type CaptureStats, type FrameHandler, type FrameSource, META_FIELDS, type PacketTimeObserver } from '../capture/frame-source.js';
import { ArpPacket } from '../decode/arp-packet.js';
import { decodeInto } from '../decode/decode-frame.js';
import { DecodeResult } from '../decode/decode-result.js';
import { TrafficSummary } from './traffic-summary.js';

/** Who gets each decoded ARP packet after the summary has counted it. */
export type ArpConsumer = (p: Readonly<ArpPacket>) => void;

export interface PipelineRun {
  summary: TrafficSummary;
  capture: CaptureStats;
  linkType: number;
}

/**
 * The per-frame step: decode into one reused packet, count, hand well-formed ARP on; whole batches too (see BatchHandler).
 * `clock` is told of packet time in the same loop, before the frame that reaches its due time: one comparison a frame
 * with a number the loop reads anyway (a wrapper over the source scanned every batch's times a second time).
 */
export function frameHandler(linkType: number, summary: TrafficSummary, onArp?: ArpConsumer, clock?: PacketTimeObserver): FrameHandler {
  const packet = new ArpPacket();
  // the packet time is set on the packet before the step, not passed to it: see decodeInto
  const step = (frame: Uint8Array, offset: number, capLen: number, wireLen: number): void => {
    const result = decodeInto(frame, capLen, wireLen, linkType, packet, offset);
    summary.observe(result, packet);
    if (result === DecodeResult.ARP && onArp !== undefined) onArp(packet);
  };
  const batch: BatchHandler = (data, meta, from, to, stop) => {
    // it moves only when the clock is told (here), so it is read once a batch and after each telling
    let due = clock === undefined ? Infinity : clock.nextDueMicros;
    let i = from;
    for (; i < to && !stop.aborted; i++) {
      const m = i * META_FIELDS;
      const ts = meta[m + 3];
      if (ts >= due) due = observeApart(clock!, ts);
      packet.tsMicros = ts;
      step(data, meta[m], meta[m + 1], meta[m + 2]);
    }
    return i - from;
  };
  const handler = (frame: Uint8Array, offset: number, capLen: number, wireLen: number, tsMicros: number): void => {
    if (clock !== undefined && tsMicros >= clock.nextDueMicros) observeApart(clock, tsMicros);
    packet.tsMicros = tsMicros;
    step(frame, offset, capLen, wireLen);
  };
  return Object.assign(handler, { batch });
}

/**
 * `clock.observe(ts)` where the optimizer will not inline it into the frame loop: inlined there (a metrics snapshot, its
 * points, the pump), it took the inlining budget the frames' own path (decode, the summary, its sketch) needs, and the
 * replay ran 3–4 ms slower a million frames with metrics on than off (bench/README.md, metrics). Once a snapshot
 * interval. Returns the clock's next due time.
 */
function observeApart(clock: PacketTimeObserver, ts: number): number {
  Reflect.apply(clock.observe, clock, [ts]);
  return clock.nextDueMicros;
}

/**
 * Runs a source through decode (and whatever consumes ARP) until it ends or `signal` aborts; `summary` counts as it goes
 * (telemetry reads it meanwhile); `clock` is told of packet time (a replay's metrics).
 */
export async function runPipeline(source: FrameSource, onArp?: ArpConsumer, signal?: AbortSignal, summary = new TrafficSummary(), clock?: PacketTimeObserver): Promise<PipelineRun> {
  const capture = await source.run(frameHandler(source.linkType, summary, onArp, clock), signal);
  return { summary, capture, linkType: source.linkType };
}
