import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MacMap } from './mac-map.js';

describe('MacMap', () => {
  it('behaves as a Map under random sets, growth included, for MACs over the whole 48 bits', () => {
    const mac = fc.oneof(fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.integer({ min: 0, max: 40 }).map((n) => 0x0cc47a000000 + n * 2 ** 32));
    fc.assert(fc.property(fc.array(mac, { maxLength: 1500 }), (macs) => {
      const m = new MacMap<number>(4);
      const ref = new Map<number, number>();
      macs.forEach((k, i) => {
        expect(m.set(k, i)).toBe(ref.get(k));
        ref.set(k, i);
        expect(m.size).toBe(ref.size);
      });
      for (const [k, v] of ref) expect(m.get(k)).toBe(v);
      expect(m.has(2 ** 48)).toBe(false);
    }), { numRuns: 100 });
  });

  it('tells apart MACs that differ only in their high 16 bits, and holds 0 and ff:ff:ff:ff:ff:ff', () => {
    const m = new MacMap<string>();
    m.set(0x0000_1234_5678, 'low');
    m.set(0x0001_1234_5678, 'high');
    m.set(0, 'zero');
    m.set(2 ** 48 - 1, 'broadcast');
    expect([m.get(0x0000_1234_5678), m.get(0x0001_1234_5678), m.get(0), m.get(2 ** 48 - 1)]).toEqual(['low', 'high', 'zero', 'broadcast']);
    expect(m.get(0x0002_1234_5678)).toBeUndefined();
  });
});
