import { type BatchHandler, type FrameHandler, type FrameSource, META_FIELDS } from '../capture/frame-source.js';

/** What a ticking source tells: packet time reached `nextDueMicros`. */
export interface PacketTimeObserver {
  readonly nextDueMicros: number;
  observe(tMicros: number): void;
}

/**
 * The source, telling `observer` when packet time reaches its next due time, before the frame that reaches it is
 * handled: a snapshot taken then holds exactly the frames before that time. Per frame it costs one comparison of
 * numbers already in the batch: no call, no allocation, so decode's budget holds.
 */
export function tickingSource(source: FrameSource, observer: PacketTimeObserver): FrameSource {
  return {
    linkType: source.linkType,
    run: (onFrame, signal) => source.run(ticking(onFrame, observer), signal),
  };
}

function ticking(inner: FrameHandler, o: PacketTimeObserver): FrameHandler {
  const handler = (frame: Uint8Array, offset: number, capLen: number, wireLen: number, tsMicros: number): void => {
    if (tsMicros >= o.nextDueMicros) o.observe(tsMicros);
    inner(frame, offset, capLen, wireLen, tsMicros);
  };
  const innerBatch = inner.batch;
  if (innerBatch === undefined) return handler;
  const batch: BatchHandler = (data, meta, from, to, stop) => {
    let i = from;
    while (i < to && !stop.aborted) {
      const ts = meta[i * META_FIELDS + 3];
      if (ts >= o.nextDueMicros) observeApart(o, ts);
      // the frames before the next due time, in one call (read once: it moves only in observe)
      const due = o.nextDueMicros;
      let j = i + 1;
      while (j < to && meta[j * META_FIELDS + 3] < due) j++;
      const n = innerBatch(data, meta, i, j, stop);
      i += n;
      if (i < j) break; // stopped inside the run
    }
    return i - from;
  };
  return Object.assign(handler, { batch });
}

/**
 * `o.observe(ts)` where the optimizer will not inline it into the batch loop: inlined there (the snapshot, its points,
 * the pump), it took the inlining budget the frames' own path (decode, the summary, its sketch) needs, and the replay
 * ran 3–4 ms slower a million frames with metrics on than off (bench/README.md, metrics). Once a snapshot interval.
 */
function observeApart(o: PacketTimeObserver, ts: number): void {
  Reflect.apply(o.observe, o, [ts]);
}
