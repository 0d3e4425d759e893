import { StreamSink } from '../../sinks/stream-sink.js';
import type { SinkContext, SinkHandle } from '../sinks.js';

/** Incident changes as lines on stdout (text or JSON), always on. */
export async function streamSink(ctx: SinkContext): Promise<SinkHandle> {
  const sink = new StreamSink(ctx.out, ctx.format);
  ctx.telemetry.describe('stream_lines_dropped_total', 'counter', 'incident lines not written because stdout could not keep up');
  ctx.telemetry.source('stream', (out) => out.counter('stream_lines_dropped_total', sink.dropped));
  return { sinks: [sink], close: () => sink.close(), report: () => [], json: () => undefined };
}
