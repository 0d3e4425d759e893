/**
 * A classic pcap file (µs, one link type) held in memory, with the addon's batch layout (META_FIELDS numbers a
 * frame), handed to a frame handler by batches: what bench/detect-ab.ts and bench/signals-ab.ts replay, so that two
 * trees compare without the file's reads between them.
 */
import fs from 'node:fs';
import { type CaptureStats, type FrameHandler, type FrameSource, META_FIELDS } from '../src/capture/frame-source.js';

/** Frames per batch handed to the pipeline, as the addon's reads give them. */
const BATCH = 4096;
const PCAP_HEADER = 24;
const RECORD_HEADER = 16;

export class MemoryCapture implements FrameSource {
  readonly linkType: number;
  readonly frames: number;
  private readonly data: Uint8Array;
  private readonly meta: Float64Array;

  constructor(file: string, private readonly who: string) {
    const data = new Uint8Array(fs.readFileSync(file));
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.linkType = view.getUint32(20, true);
    let frames = 0;
    for (let o = PCAP_HEADER; o + RECORD_HEADER <= data.length; o += RECORD_HEADER + view.getUint32(o + 8, true)) frames++;
    const meta = new Float64Array(frames * META_FIELDS);
    for (let i = 0, o = PCAP_HEADER; i < frames; i++) {
      const capLen = view.getUint32(o + 8, true);
      const m = i * META_FIELDS;
      meta[m] = o + RECORD_HEADER;
      meta[m + 1] = capLen;
      meta[m + 2] = view.getUint32(o + 12, true);
      meta[m + 3] = view.getUint32(o, true) * 1e6 + view.getUint32(o + 4, true);
      o += RECORD_HEADER + capLen;
    }
    this.data = data;
    this.meta = meta;
    this.frames = frames;
  }

  async run(onFrame: FrameHandler): Promise<CaptureStats> {
    const batch = onFrame.batch;
    if (batch === undefined) throw new Error(`${this.who}: the frame handler takes no batches`);
    const stop = { aborted: false };
    const { data, meta, frames } = this;
    for (let from = 0; from < frames; from += BATCH) batch(data, meta, from, Math.min(frames, from + BATCH), stop);
    return { frames };
  }
}
