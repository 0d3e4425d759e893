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
});
