import { describe, expect, it } from 'vitest';
import { BoundedPump } from './bounded-pump.js';

describe('BoundedPump', () => {
  it('handles in order, drops the newest past its capacity and counts them', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => { release = r; });
    const seen: number[] = [];
    const pump = new BoundedPump<number>({ capacity: 3, handle: async (n) => { await gate; seen.push(n); } });
    for (let i = 0; i < 6; i++) pump.push(i);
    expect(pump.dropped).toBe(3);
    expect(pump.pending).toBe(3);
    release();
    await pump.idle();
    expect(seen).toEqual([0, 1, 2]);
    expect(pump.handled).toBe(3);
  });

  it('drop-oldest: a full buffer drops the oldest waiting item, never the one being handled, and counts it', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => { release = r; });
    const seen: number[] = [];
    const pump = new BoundedPump<number>({ capacity: 3, overflow: 'drop-oldest', handle: async (n) => { await gate; seen.push(n); } });
    for (let i = 0; i < 7; i++) expect(pump.push(i)).toBe(true);
    expect(pump.dropped).toBe(4);
    expect(pump.pending).toBe(3);
    release();
    await pump.idle();
    // 0 was being handled; of 1..6 the newest two stayed
    expect(seen).toEqual([0, 5, 6]);
    expect(pump.handled).toBe(3);
    pump.push(7);
    await pump.idle();
    expect(seen).toEqual([0, 5, 6, 7]);
  });

  it('retries a failing item with backoff, the others waiting behind it, and drains once it goes', async () => {
    let failures = 3;
    const seen: number[] = [];
    const pump = new BoundedPump<number>({ capacity: 10, retryMs: 1, handle: async (n) => { if (failures-- > 0) throw new Error('down'); seen.push(n); } });
    pump.push(1);
    pump.push(2);
    await pump.idle();
    expect(seen).toEqual([1, 2]);
    expect(pump.retries).toBe(3);
  });

  it('close() waits up to its timeout, then counts what is left as dropped; it refuses new items; twice is fine', async () => {
    const pump = new BoundedPump<number>({ capacity: 10, retryMs: 5, handle: async () => { throw new Error('down'); } });
    pump.push(1);
    pump.push(2);
    const t = performance.now();
    expect(await pump.close(50)).toBe(2);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(pump.dropped).toBe(2);
    expect(pump.push(3)).toBe(false);
    expect(await pump.close(50)).toBe(0);
    expect(pump.dropped).toBe(3);
  });
});
