import { describe, expect, it } from 'vitest';
import { DropWatch } from './drop-watch.js';

const S = 1_000_000;

describe('DropWatch: the kernel drops told once a minute while they grow', () => {
  it('tells the first drops at once, then at most once per interval with the drops since the last line', () => {
    const w = new DropWatch(60 * S);
    expect(w.check(0, 0)).toBeNull();
    expect(w.check(5, 1 * S)).toBe(5);
    expect(w.check(50, 2 * S)).toBeNull();
    expect(w.check(80, 30 * S)).toBeNull();
    expect(w.check(120, 61 * S)).toBe(115);
  });

  it('says nothing while the count stands still, and tells the next growth at once after a quiet minute', () => {
    const w = new DropWatch(60 * S);
    expect(w.check(7, 0)).toBe(7);
    expect(w.check(7, 120 * S)).toBeNull();
    expect(w.check(9, 121 * S)).toBe(2);
  });
});
