import { describe, expect, it } from 'vitest';
import { IpRows } from './ip-rows.js';

describe('IpRows', () => {
  it('finds the row of an address given as uint32 or int32, keeps the last row set, grows', () => {
    const t = new IpRows(2);
    for (let i = 0; i < 5000; i++) expect(t.set(0xc0000000 + i * 7, i)).toBe(-1);
    expect(t.size).toBe(5000);
    expect(t.rowOf(0xc0000000 + 7 * 123)).toBe(123);
    expect(t.rowOf((0xc0000000 + 7 * 123) | 0)).toBe(123);
    expect(t.rowOf(0xc0000000 + 1)).toBe(-1);
    expect(t.set(0xc0000000, 42)).toBe(0);
    expect(t.rowOf(0xc0000000)).toBe(42);
    expect(t.size).toBe(5000);
    expect(t.has(0)).toBe(false);
    t.set(0, 0);
    expect(t.rowOf(0)).toBe(0);
  });
});
