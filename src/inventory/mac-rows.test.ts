import { describe, expect, it } from 'vitest';
import { MacRows } from './mac-rows.js';

describe('MacRows', () => {
  it('tells MACs that share their low 32 bits apart, grows, keeps the last code set', () => {
    const t = new MacRows(2);
    const base = 0x0cc47a000000;
    for (let i = 0; i < 3000; i++) expect(t.set(base + i, i)).toBe(-1);
    // the same low 32 bits under another high 16
    const twin = 0x020000000000 + ((base + 5) % 2 ** 32);
    expect(t.codeOf(twin)).toBe(-1);
    t.set(twin, 9999);
    expect(t.codeOf(twin)).toBe(9999);
    expect(t.codeOf(base + 5)).toBe(5);
    expect(t.codeOf(0xffffffffffff)).toBe(-1);
    expect(t.set(base + 5, 6)).toBe(5);
    expect(t.codeOf(base + 5)).toBe(6);
    expect(t.size).toBe(3001);
    expect(t.codeOf(base + 2999)).toBe(2999);
  });
});
