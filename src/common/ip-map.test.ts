import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpMap } from './ip-map.js';

describe('IpMap', () => {
  it('behaves as a Map under random sets and deletes (growth and backward-shift deletion included)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 300 }).map((n) => (n * 2654435761) >>> 0)), { maxLength: 2000 }), (ops) => {
      const m = new IpMap<number>(4);
      const ref = new Map<number, number>();
      ops.forEach(([del, ip], i) => {
        if (del) expect(m.delete(ip)).toBe(ref.delete(ip));
        else { m.set(ip, i); ref.set(ip, i); }
        expect(m.size).toBe(ref.size);
      });
      for (const [ip, v] of ref) expect(m.get(ip)).toBe(v);
      expect([...m.entries()].length).toBe(ref.size);
    }), { numRuns: 100 });
  });

  it('holds addresses above 2^31 and 0', () => {
    const m = new IpMap<string>();
    m.set(0xfffffffe, 'hi');
    m.set(0, 'zero');
    expect(m.get(0xfffffffe)).toBe('hi');
    expect(m.get(0)).toBe('zero');
    expect(m.get(1)).toBeUndefined();
  });
});
