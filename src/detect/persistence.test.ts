import { describe, expect, it } from 'vitest';
import { PeriodSets } from './persistence.js';

describe('PeriodSets', () => {
  it('counts distinct periods within the horizon, once per period', () => {
    const p = new PeriodSets(2, 30);
    const s = p.alloc();
    expect(p.add(s, 0, 1000)).toBe(1);
    expect(p.add(s, 0, 1000)).toBe(1); // same period
    expect(p.add(s, 0, 1001)).toBe(2);
    expect(p.add(s, 0, 1005)).toBe(3);
    expect(p.add(s, 1, 1005)).toBe(1); // another signal of the set
    expect(p.count(s, 0, 1005)).toBe(3);
    // periods age out of the horizon: 1000 and 1001 are more than 30 periods before 1031
    expect(p.count(s, 0, 1031)).toBe(1);
    expect(p.add(s, 0, 1031)).toBe(2);
  });

  it('shifts across the 32-bit boundary of its 64-period set, and forgets past 64', () => {
    const p = new PeriodSets(1, 64);
    const s = p.alloc();
    for (let t = 0; t < 64; t += 7) p.add(s, 0, 5000 + t);
    expect(p.count(s, 0, 5063)).toBe(10); // 0, 7, ..., 63
    expect(p.add(s, 0, 5070)).toBe(10); // 0 left the horizon, 70 came
    expect(p.add(s, 0, 5200)).toBe(1);
  });

  it('a set given back and taken again starts empty; sets grow as senders come', () => {
    const p = new PeriodSets(1, 30);
    const sets = Array.from({ length: 5000 }, () => p.alloc());
    const s = sets[4999];
    p.add(s, 0, 100);
    p.add(s, 0, 101);
    expect(p.count(s, 0, 101)).toBe(2);
    p.release(s);
    expect(p.alloc()).toBe(s);
    expect(p.count(s, 0, 102)).toBe(0);
    expect(p.add(s, 0, 102)).toBe(1);
    expect(p.size).toBe(5000);
  });
});
