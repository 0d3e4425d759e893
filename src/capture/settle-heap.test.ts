import { describe, expect, it } from 'vitest';
import { settleHeap } from './settle-heap.js';

describe('settleHeap', () => {
  it('collects garbage a start-up left: the heap is smaller after it', () => {
    // about 40 MB of garbage in old space, as an inventory's parse leaves it
    let junk: number[][] | null = Array.from({ length: 2_000 }, () => Array.from({ length: 2_000 }, (_, i) => i + 0.5));
    const before = process.memoryUsage().heapUsed;
    expect(junk.length).toBe(2_000);
    junk = null;
    expect(settleHeap()).toBe(true);
    expect(process.memoryUsage().heapUsed).toBeLessThan(before - 20e6);
  });
});
