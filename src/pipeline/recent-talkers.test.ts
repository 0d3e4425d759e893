import { describe, expect, it } from 'vitest';
import { RecentTalkers } from './recent-talkers.js';

const W = 60e6;
const hits = (r: RecentTalkers, ip: number, n: number, from: number, step = 1e3): void => {
  for (let i = 0; i < n; i++) r.hit(ip, from + i * step);
};

describe('the recent talkers (the NOC page\'s list)', () => {
  it('rank the last one to two windows: a sender loud now passes one that was loud an hour ago, whatever their totals', () => {
    const r = new RecentTalkers(64, W);
    hits(r, 1, 100_000, 0, 100); // 10 s of a big talker
    expect(r.top(2)).toEqual([{ ip: 1, frames: 100_000 }]);
    hits(r, 2, 50, 3600e6); // an hour later, a new one
    expect(r.top(2)).toEqual([{ ip: 2, frames: 50 }]);
    expect(r.sinceMicros).toBe(3600e6);
  });

  it('keep the window before the current one, so the list does not empty when a window turns; then forget it', () => {
    const r = new RecentTalkers(64, W);
    hits(r, 7, 30, 10e6);
    hits(r, 8, 20, 61e6);
    expect(r.top(5)).toEqual([{ ip: 7, frames: 30 }, { ip: 8, frames: 20 }]);
    expect(r.sinceMicros).toBe(10e6);
    hits(r, 7, 5, 62e6);
    expect(r.top(1)).toEqual([{ ip: 7, frames: 35 }]);
    hits(r, 9, 1, 125e6);
    expect(r.top(5)).toEqual([{ ip: 8, frames: 20 }, { ip: 7, frames: 5 }, { ip: 9, frames: 1 }]);
    expect(r.sinceMicros).toBe(60e6);
  });

  it('stay bounded under a spoofed flood, and still name the loud sender', () => {
    const r = new RecentTalkers(64, W);
    for (let i = 0; i < 200_000; i++) {
      r.hit(0x0a000000 + i, 1e6 + i);
      if (i % 4 === 0) r.hit(42, 1e6 + i);
    }
    expect(r.top(1)[0].ip).toBe(42);
    expect(r.top(1)[0].frames).toBeGreaterThanOrEqual(50_000);
  });
});
