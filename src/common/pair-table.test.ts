import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PairTable } from './pair-table.js';

describe('PairTable', () => {
  it('behaves as a Map of pairs under random sets and deletes, and never holds more than its size', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })), { maxLength: 1500 }), (ops) => {
      const t = new PairTable(64);
      const ref = new Map<string, number>();
      ops.forEach(([del, x, y], i) => {
        const a = (x * 2654435761) >>> 0;
        const b = (y * 40503) >>> 0;
        const k = `${a}/${b}`;
        if (del) {
          expect(t.delete(a, b)).toBe(ref.delete(k));
        } else if (ref.has(k) || ref.size < 64) {
          expect(t.set(a, b, i)).toBe(true);
          ref.set(k, i);
        } else {
          expect(t.set(a, b, i)).toBe(false);
        }
        expect(t.size).toBe(ref.size);
      });
      for (const [k, v] of ref) {
        const [a, b] = k.split('/').map(Number);
        expect(t.get(a, b)).toBe(v);
      }
    }), { numRuns: 100 });
  });

  it('upsert, take and indexOf answer as set, delete and get, in one probe each', () => {
    const t = new PairTable(4);
    expect(t.upsert(0xc0000201, 0xc0000202, 7)).toBe(-1); // new
    expect(t.upsert(0xc0000201, 0xc0000202, 9)).toBe(7); // the previous value
    const at = t.indexOf(0xc0000201, 0xc0000202);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(t.valueAt(at)).toBe(9);
    for (let i = 0; i < 3; i++) expect(t.upsert(i, i, i)).toBe(-1);
    expect(t.upsert(99, 99, 1)).toBe(-2); // full
    expect(t.take(0xc0000201, 0xc0000202)).toBe(9);
    expect(t.take(0xc0000201, 0xc0000202)).toBe(-1);
    expect(t.indexOf(0xc0000201, 0xc0000202)).toBe(-1);
    t.deleteAt(t.indexOf(1, 1));
    expect(t.get(1, 1)).toBe(-1);
    expect([t.get(0, 0), t.get(2, 2), t.size]).toEqual([0, 2, 2]);
  });
});
