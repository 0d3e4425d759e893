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

  it('grows with the pairs it holds (not to its cap at once), and finds every one across the doublings', () => {
    const t = new PairTable(200_000);
    const small = t.slots;
    expect(small).toBeLessThanOrEqual(1024);
    const ref = new Map<string, number>();
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const a = x;
      const b = (x * 7) >>> 0;
      if (i % 5 === 4) {
        const [k] = ref.keys();
        const [ka, kb] = k.split('/').map(Number);
        expect(t.take(ka, kb)).toBe(ref.get(k));
        ref.delete(k);
      } else {
        t.upsert(a, b, i);
        ref.set(`${a}/${b}`, i);
      }
    }
    expect(t.size).toBe(ref.size);
    // at most half full, and no bigger than that needs
    expect(t.slots).toBeGreaterThanOrEqual(2 * ref.size);
    expect(t.slots).toBeLessThanOrEqual(4 * ref.size);
    for (const [k, v] of ref) {
      const [a, b] = k.split('/').map(Number);
      expect(t.get(a, b)).toBe(v);
    }
  });

  it('still holds exactly maxEntries once grown to its cap', () => {
    const t = new PairTable(3000);
    for (let i = 0; i < 3000; i++) expect(t.upsert(i, i + 1, i)).toBe(-1);
    expect(t.upsert(5000, 1, 1)).toBe(-2);
    expect(t.slots).toBe(8192);
    for (let i = 0; i < 3000; i++) expect(t.get(i, i + 1)).toBe(i);
  });

  it('mapValues rewrites every held value, and only those', () => {
    const t = new PairTable(5000);
    for (let i = 0; i < 3000; i++) t.set(i, i + 1, i);
    for (let i = 0; i < 3000; i += 2) t.delete(i, i + 1);
    t.mapValues((v) => v * 10);
    for (let i = 0; i < 3000; i++) expect(t.get(i, i + 1)).toBe(i % 2 === 0 ? -1 : i * 10);
    expect(t.size).toBe(1500);
  });
});
