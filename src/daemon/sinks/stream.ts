import { StreamSink } from '../../sinks/stream-sink.js';
import type { SinkContext, SinkHandle } from '../sinks.js';
import { BatchedWrites } from './batched-writes.js';

/** Incident changes as lines on stdout (text or JSON), always on; a batch's lines in one write (batched-writes.ts). */
export async function streamSink(ctx: SinkContext): Promise<SinkHandle> {
  const out = new BatchedWrites(ctx.out);
  const sink = new StreamSink(out, ctx.format);
  ctx.telemetry.describe('stream_lines_dropped_total', 'counter', 'incident lines not written because stdout could not keep up');
  ctx.telemetry.source('stream', (o) => o.counter('stream_lines_dropped_total', sink.dropped));
  // every line is on stdout before the command writes its exit summary there
  return { sinks: [sink], close: async () => { await sink.close(); await out.flushed(); }, report: () => [], json: () => undefined };
}
