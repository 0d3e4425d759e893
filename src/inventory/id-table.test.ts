import { describe, expect, it } from 'vitest';
import { IdTable } from './id-table.js';

describe('IdTable', () => {
  it('finds what was added through any copy of the key, keeps the first value of a key, grows', () => {
    const t = new IdTable<number>(2);
    for (let i = 0; i < 1000; i++) expect(t.add(`srv-${i}`, i)).toBe(true);
    expect(t.add('srv-7', 70)).toBe(false);
    expect(t.size).toBe(1000);
    const line = '- { server: srv-123, x }';
    expect(t.get(line.slice(12, 19))).toBe(123);
    expect(t.get('srv-7')).toBe(7);
    expect(t.has('srv-1000')).toBe(false);
    expect(t.get('')).toBeUndefined();
  });
});
