import { describe, expect, it } from 'vitest';
import { EventRing } from './event-ring.js';

describe('EventRing', () => {
  it('numbers events from 1 and gives those after a number, oldest first', () => {
    const r = new EventRing(4);
    expect(r.lastSeq).toBe(0);
    expect(r.after(0)).toEqual([]);
    for (const d of ['a', 'b', 'c']) r.push('x', d);
    expect(r.lastSeq).toBe(3);
    expect(r.after(1)?.map((e) => [e.seq, e.data])).toEqual([[2, 'b'], [3, 'c']]);
    expect(r.after(3)).toEqual([]);
  });

  it('keeps only the last `size`: a number older than that, or one never given, cannot be caught up from', () => {
    const r = new EventRing(3);
    for (let i = 1; i <= 7; i++) r.push(i % 2 === 0 ? 'stats' : 'incident', String(i));
    expect(r.firstSeq).toBe(5);
    expect(r.after(4)?.map((e) => e.data)).toEqual(['5', '6', '7']);
    expect(r.after(3)).toBeNull();
    expect(r.after(8)).toBeNull();
    expect(r.after(Number.NaN)).toBeNull();
    expect(r.ofType('stats').map((e) => e.data)).toEqual(['6']);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new EventRing(0)).toThrow(/positive integer/);
  });
});
