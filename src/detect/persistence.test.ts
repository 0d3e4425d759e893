import { describe, expect, it } from 'vitest';
import { PeriodSets } from './persistence.js';

describe('PeriodSets', () => {
  it('counts distinct periods within the horizon, once per period', () => {
    const p = new PeriodSets(2, 30);
    expect(p.add(0, 7, 0, 1000)).toBe(1);
    expect(p.add(0, 7, 0, 1000)).toBe(1); // same period
    expect(p.add(0, 7, 0, 1001)).toBe(2);
    expect(p.add(0, 7, 0, 1005)).toBe(3);
    expect(p.add(0, 7, 1, 1005)).toBe(1); // another signal of the slot
    expect(p.count(0, 7, 0, 1005)).toBe(3);
    // periods age out of the horizon: 1000 and 1001 are more than 30 periods before 1031
    expect(p.count(0, 7, 0, 1031)).toBe(1);
    expect(p.add(0, 7, 0, 1031)).toBe(2);
  });

  it('shifts across the 32-bit boundary of its 64-period set, and forgets past 64', () => {
    const p = new PeriodSets(1, 64);
    for (let t = 0; t < 64; t += 7) p.add(3, 9, 0, 5000 + t);
    expect(p.count(3, 9, 0, 5063)).toBe(10); // 0, 7, ..., 63
    expect(p.add(3, 9, 0, 5070)).toBe(10); // 0 left the horizon, 70 came
    expect(p.add(3, 9, 0, 5200)).toBe(1);
  });

  it('a slot reused by another sender starts empty; slots grow as senders come', () => {
    const p = new PeriodSets(1, 30);
    p.add(5000, 1, 0, 100);
    p.add(5000, 1, 0, 101);
    expect(p.add(5000, 2, 0, 102)).toBe(1);
    expect(p.count(5000, 1, 0, 102)).toBe(0);
  });
});
