import { describe, expect, it } from 'vitest';
import { RecentTalkers } from './recent-talkers.js';

const W = 60e6;
const macOf = (ip: number): number => 0x020000000000 + ip;
const hits = (r: RecentTalkers, ip: number, n: number, from: number, step = 1e3): void => {
  for (let i = 0; i < n; i++) r.hit(ip, macOf(ip), from + i * step);
};
const row = (ip: number, frames: number): { ip: number; mac: number; frames: number } => ({ ip, mac: macOf(ip), frames });

describe('the recent talkers (the NOC page\'s list)', () => {
  it('rank the last one to two windows: a sender loud now passes one that was loud an hour ago, whatever their totals', () => {
    const r = new RecentTalkers(64, W);
    hits(r, 1, 100_000, 0, 100); // 10 s of a big talker
    expect(r.top(2)).toEqual([row(1, 100_000)]);
    hits(r, 2, 50, 3600e6); // an hour later, a new one
    expect(r.top(2)).toEqual([row(2, 50)]);
    expect(r.sinceMicros).toBe(3600e6);
  });

  it('keep the window before the current one, so the list does not empty when a window turns; then forget it', () => {
    const r = new RecentTalkers(64, W);
    hits(r, 7, 30, 10e6);
    hits(r, 8, 20, 61e6);
    expect(r.top(5)).toEqual([row(7, 30), row(8, 20)]);
    expect(r.sinceMicros).toBe(10e6);
    hits(r, 7, 5, 62e6);
    expect(r.top(1)).toEqual([row(7, 35)]);
    hits(r, 9, 1, 125e6);
    expect(r.top(5)).toEqual([row(8, 20), row(7, 5), row(9, 1)]);
    expect(r.sinceMicros).toBe(60e6);
  });

  it('give a sender\'s last MAC, that of the current window', () => {
    const r = new RecentTalkers(64, W);
    r.hit(5, 0xaa, 1e6);
    r.hit(5, 0xbb, 61e6);
    expect(r.top(1)).toEqual([{ ip: 5, mac: 0xbb, frames: 2 }]);
  });

  it('count a sender from when its sketch took it: a busy VLAN of short-lived senders does not inflate the figures', () => {
    const r = new RecentTalkers(64, W);
    for (let i = 0; i < 2000; i++) hits(r, 0x0a000000 + i, 5, 1e6 + i * 5000, 1);
    hits(r, 40, 40, 20e6);
    const top = r.top(10);
    // admitted after a few of its frames (the sketch is full): a lower bound, never more than it sent
    expect(top[0].ip).toBe(40);
    expect(top[0].frames).toBeGreaterThan(30);
    expect(top[0].frames).toBeLessThanOrEqual(40);
    for (const t of top.slice(1)) expect(t.frames).toBeLessThanOrEqual(5);
  });

  it('start again after a frame stamped far ahead, rather than count the next hours into its window', () => {
    const r = new RecentTalkers(64, W);
    hits(r, 3, 1, 86_400e6); // a day ahead
    for (let m = 0; m < 120; m++) hits(r, 4, 1, m * 60e6 + 1e6);
    expect(r.top(5)).toEqual([row(4, 2)]);
    expect(r.sinceMicros).toBe(118 * 60e6);
  });

  it('stay bounded under a spoofed flood, and still name the loud sender', () => {
    const r = new RecentTalkers(64, W);
    for (let i = 0; i < 200_000; i++) {
      r.hit(0x0a000000 + i, 1, 1e6 + i);
      if (i % 4 === 0) r.hit(42, 2, 1e6 + i);
    }
    expect(r.top(1)[0].ip).toBe(42);
    expect(r.top(1)[0].frames).toBeGreaterThanOrEqual(45_000);
  });
});
