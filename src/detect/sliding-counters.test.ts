import { describe, expect, it } from 'vitest';
import { SlidingCounters } from './sliding-counters.js';

describe('SlidingCounters', () => {
  it('counts events inside the window and forgets those that slid out', () => {
    const c = new SlidingCounters(6);
    expect(c.add(0, 100)).toBe(1);
    expect(c.add(0, 100)).toBe(2);
    expect(c.add(0, 103)).toBe(3);
    expect(c.count(0, 105)).toBe(3);
    // bucket 100 leaves the window at 106
    expect(c.count(0, 106)).toBe(1);
    expect(c.count(0, 109)).toBe(0);
  });

  it('keeps kinds apart', () => {
    const c = new SlidingCounters(4);
    c.add(1, 10);
    c.add(2, 10);
    c.add(2, 11);
    expect(c.count(1, 11)).toBe(1);
    expect(c.count(2, 11)).toBe(2);
    expect(c.count(3, 11)).toBe(0);
  });

  it('clears everything after a long silence', () => {
    const c = new SlidingCounters(6);
    for (let i = 0; i < 50; i++) c.add(0, 1000 + (i % 6));
    expect(c.count(0, 1005)).toBe(50);
    expect(c.add(0, 5000)).toBe(1);
  });

  it('an event for an older bucket still inside the window counts', () => {
    const c = new SlidingCounters(6);
    c.add(0, 200);
    expect(c.add(0, 198)).toBe(2);
  });
});
