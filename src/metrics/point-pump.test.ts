import { describe, expect, it } from 'vitest';
import type { MetricPoint } from './metric-point.js';
import { PointPump } from './point-pump.js';
import { type PointTransport, WriteFailure } from './point-transport.js';

const point = (i: number): MetricPoint => ({ measurement: 'm', tags: {}, value: i, timeMicros: i });

/** A server that is up or down at the test's word, keeping what it took. */
class FakeServer implements PointTransport {
  readonly name = 'fake';
  readonly target = 'fake://';
  up = true;
  refuse = false;
  taken: number[] = [];
  batches: number[] = [];
  async prepare(): Promise<void> {}
  async write(points: readonly MetricPoint[]): Promise<void> {
    await new Promise((r) => setTimeout(r, 1));
    if (this.refuse) throw new WriteFailure('HTTP 400: bad', true);
    if (!this.up) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    this.batches.push(points.length);
    for (const p of points) this.taken.push(p.value);
  }
  async close(): Promise<void> {}
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(check()).toBe(true);
};

describe('PointPump', () => {
  it('by size and by interval: a full batch goes at once, fewer wait for the linger, idle writes what waits at once', async () => {
    const server = new FakeServer();
    const pump = new PointPump({ transport: server, capacity: 100, batchSize: 10, lingerMs: 200, retryMs: 1, maxRetryMs: 4 });
    // snapshots smaller than a batch, pushed faster than a write takes (a replay): one write, not one each
    for (let i = 0; i < 3; i++) pump.push([point(i)]);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.batches).toEqual([]);
    await until(() => server.batches.length === 1);
    expect(server.batches).toEqual([3]);
    // a full batch does not wait
    const t0 = performance.now();
    pump.push(Array.from({ length: 10 }, (_, i) => point(10 + i)));
    await until(() => server.batches.length === 2);
    expect(performance.now() - t0).toBeLessThan(150);
    // what is left waits for the linger, unless someone waits for it
    pump.push([point(30), point(31)]);
    const t1 = performance.now();
    await pump.idle();
    expect(performance.now() - t1).toBeLessThan(150);
    expect(server.batches).toEqual([3, 10, 2]);
    expect(pump.written).toBe(15);
    expect(pump.held).toBe(0);
  });

  it('writes in batches of at most batchSize, in order', async () => {
    const server = new FakeServer();
    const pump = new PointPump({ transport: server, capacity: 100, batchSize: 7, retryMs: 1, maxRetryMs: 4 });
    pump.push(Array.from({ length: 30 }, (_, i) => point(i)));
    await pump.idle();
    expect(server.taken).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(Math.max(...server.batches)).toBe(7);
    expect(pump.written).toBe(30);
    expect(pump.dropped).toBe(0);
  });

  it('grows its ring as points come (a write under way, the ring wrapped), in order, up to capacity', async () => {
    const server = new FakeServer();
    const pump = new PointPump({ transport: server, capacity: 5000, batchSize: 100, retryMs: 1, maxRetryMs: 4 });
    pump.push(Array.from({ length: 100 }, (_, i) => point(i)));
    // the first batch is being written: these wait behind it, past the ring's first 1,024 slots
    for (let i = 100; i < 4100; i += 7) pump.push(Array.from({ length: Math.min(7, 4100 - i) }, (_, j) => point(i + j)));
    expect(pump.held).toBe(4100);
    await pump.idle();
    expect(server.taken).toEqual(Array.from({ length: 4100 }, (_, i) => i));
    expect(pump.dropped).toBe(0);
  });

  it('while the server is away, holds up to capacity, drops the oldest waiting, says so once, resumes by itself', async () => {
    const server = new FakeServer();
    server.up = false;
    const notes: string[] = [];
    const pump = new PointPump({
      transport: server, capacity: 20, batchSize: 5, retryMs: 1, maxRetryMs: 4,
      onDown: (r) => notes.push(`down ${r}`), onUp: (n) => notes.push(`up after ${n > 0 ? 'failures' : 'none'}`),
    });
    for (let i = 0; i < 50; i++) pump.push([point(i)]);
    await until(() => pump.retries >= 3);
    expect(pump.held).toBe(20);
    expect(pump.dropped).toBe(30);
    server.up = true;
    await pump.idle();
    // the batch in flight when it went away (point 0, pushed alone) is kept; of the rest the newest 19 survive
    expect(server.taken).toEqual([0, ...Array.from({ length: 19 }, (_, i) => 31 + i)]);
    expect(pump.written + pump.dropped).toBe(50);
    expect(pump.failedWrites).toBe(pump.retries);
    expect(notes).toEqual(['down connection refused', 'up after failures']);
  });

  it('drops a batch the server refuses for good, counted, and goes on', async () => {
    const server = new FakeServer();
    server.refuse = true;
    const refused: number[] = [];
    const pump = new PointPump({ transport: server, capacity: 10, batchSize: 10, retryMs: 1, maxRetryMs: 4, onRefused: (_r, n) => refused.push(n) });
    pump.push([point(1), point(2)]);
    await pump.idle();
    server.refuse = false;
    pump.push([point(3)]);
    await pump.idle();
    expect(refused).toEqual([2]);
    expect(server.taken).toEqual([3]);
    expect([pump.written, pump.dropped, pump.failedWrites, pump.retries]).toEqual([1, 2, 1, 0]);
  });

  it('close waits for the server, then counts what is left as dropped', async () => {
    const server = new FakeServer();
    server.up = false;
    const pump = new PointPump({ transport: server, capacity: 10, batchSize: 4, retryMs: 1, maxRetryMs: 2 });
    pump.push(Array.from({ length: 6 }, (_, i) => point(i)));
    expect(await pump.close(30)).toBe(6);
    expect([pump.written, pump.dropped, pump.held]).toEqual([0, 6, 0]);
    pump.push([point(9)]);
    expect(pump.dropped).toBe(7);
  });
});
