import { describe, expect, it } from 'vitest';
import { type FrameSource, META_FIELDS, type PacketTimeObserver } from '../capture/frame-source.js';
import { runPipeline } from './pipeline.js';
import { TrafficSummary } from './traffic-summary.js';

/** Frames of 60 zero bytes (counted, not ARP) at these packet times, in batches of `batchSize` or one call a frame. */
function source(times: readonly number[], batchSize: number | null): FrameSource {
  return {
    linkType: 1,
    run: async (onFrame) => {
      const data = new Uint8Array(60 * times.length);
      const meta = new Float64Array(META_FIELDS * times.length);
      times.forEach((t, i) => meta.set([i * 60, 60, 60, t], i * META_FIELDS));
      if (batchSize === null || onFrame.batch === undefined) {
        times.forEach((t, i) => onFrame(data, i * 60, 60, 60, t));
      } else {
        for (let from = 0; from < times.length; from += batchSize) {
          onFrame.batch(data, meta, from, Math.min(from + batchSize, times.length), { aborted: false });
        }
      }
      return { frames: times.length };
    },
  };
}

/** A clock due every 10 µs from the first time it is told, recording how many frames the summary had counted each time. */
class Clock implements PacketTimeObserver {
  nextDueMicros = 0;
  told: { ts: number; framesBefore: number }[] = [];
  constructor(private readonly summary: TrafficSummary) {}
  observe(ts: number): void {
    this.told.push({ ts, framesBefore: this.summary.frames });
    this.nextDueMicros = Math.floor(ts / 10) * 10 + 10;
  }
}

describe('runPipeline: the packet clock', () => {
  // 25 and 31 cross due times; 12 after 25 is out of order (it does not cross anything); a batch boundary falls inside
  const times = [1, 3, 9, 25, 12, 26, 31, 33, 34];
  for (const batchSize of [null, 1, 4, 100]) {
    it(`is told before the frame that reaches its due time, holding exactly the frames before it (${batchSize === null ? 'a call a frame' : `batches of ${batchSize}`})`, async () => {
      const summary = new TrafficSummary();
      const clock = new Clock(summary);
      await runPipeline(source(times, batchSize), undefined, undefined, summary, clock);
      expect(clock.told).toEqual([{ ts: 1, framesBefore: 0 }, { ts: 25, framesBefore: 3 }, { ts: 31, framesBefore: 6 }]);
      expect(summary.frames).toBe(times.length);
    });
  }

  it('without a clock the frames are counted all the same', async () => {
    const summary = new TrafficSummary();
    await runPipeline(source(times, 4), undefined, undefined, summary);
    expect(summary.frames).toBe(times.length);
  });
});
