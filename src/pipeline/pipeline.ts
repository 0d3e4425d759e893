import { type BatchHandler, type CaptureStats, type FrameHandler, type FrameSource, META_FIELDS } from '../capture/frame-source.js';
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

/** The per-frame step: decode into one reused packet, count, hand well-formed ARP on; whole batches too (see BatchHandler). */
export function frameHandler(linkType: number, summary: TrafficSummary, onArp?: ArpConsumer): FrameHandler {
  const packet = new ArpPacket();
  // the packet time is set on the packet before the step, not passed to it: see decodeInto
  const step = (frame: Uint8Array, offset: number, capLen: number, wireLen: number): void => {
    const result = decodeInto(frame, capLen, wireLen, linkType, packet, offset);
    summary.observe(result, packet);
    if (result === DecodeResult.ARP && onArp !== undefined) onArp(packet);
  };
  const batch: BatchHandler = (data, meta, from, to, stop) => {
    let i = from;
    for (; i < to && !stop.aborted; i++) {
      const m = i * META_FIELDS;
      packet.tsMicros = meta[m + 3];
      step(data, meta[m], meta[m + 1], meta[m + 2]);
    }
    return i - from;
  };
  const handler = (frame: Uint8Array, offset: number, capLen: number, wireLen: number, tsMicros: number): void => {
    packet.tsMicros = tsMicros;
    step(frame, offset, capLen, wireLen);
  };
  return Object.assign(handler, { batch });
}

/** Runs a source through decode (and whatever consumes ARP) until it ends or `signal` aborts; `summary` counts as it goes (telemetry reads it meanwhile). */
export async function runPipeline(source: FrameSource, onArp?: ArpConsumer, signal?: AbortSignal, summary = new TrafficSummary()): Promise<PipelineRun> {
  const capture = await source.run(frameHandler(source.linkType, summary, onArp), signal);
  return { summary, capture, linkType: source.linkType };
}
