import type { CaptureStats, FrameHandler, FrameSource } from '../capture/frame-source.js';
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

/** The per-frame step: decode into one reused packet, count, hand well-formed ARP on. */
export function frameHandler(linkType: number, summary: TrafficSummary, onArp?: ArpConsumer): FrameHandler {
  const packet = new ArpPacket();
  return (frame, offset, capLen, wireLen, tsMicros) => {
    packet.tsMicros = tsMicros; // here, not as an argument: see decodeInto
    const result = decodeInto(frame, capLen, wireLen, linkType, packet, offset);
    summary.observe(result, packet);
    if (result === DecodeResult.ARP && onArp !== undefined) onArp(packet);
  };
}

/** Runs a source through decode (and whatever consumes ARP) until it ends or `signal` aborts; `summary` counts as it goes (telemetry reads it meanwhile). */
export async function runPipeline(source: FrameSource, onArp?: ArpConsumer, signal?: AbortSignal, summary = new TrafficSummary()): Promise<PipelineRun> {
  const capture = await source.run(frameHandler(source.linkType, summary, onArp), signal);
  return { summary, capture, linkType: source.linkType };
}
