import { describe, expect, it } from 'vitest';
import { progressMiB } from './replay.js';

const MiB = 1048576;

describe('the replay progress bar', () => {
  it('ends at its total (the size rounded up to a MiB) when the whole file is read', () => {
    const size = Math.round(93.16 * MiB);
    const total = Math.ceil(size / MiB);
    expect(progressMiB(size, size)).toBe(total);
    expect(progressMiB(4 * MiB, 4 * MiB)).toBe(4);
  });
  it('counts whole MiB read before that', () => {
    expect(progressMiB(0, 10 * MiB)).toBe(0);
    expect(progressMiB(3.9 * MiB, 10 * MiB)).toBe(3);
    expect(progressMiB(10 * MiB - 1, 10 * MiB)).toBe(9);
  });
});
