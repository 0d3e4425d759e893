import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BatchedWrites } from './batched-writes.js';

/** A stream recording each write it is handed; `hold` keeps its callbacks back until release(). */
function recorder(hold = false): { out: Writable; writes: string[]; release(): void } {
  const writes: string[] = [];
  const held: (() => void)[] = [];
  const out = new Writable({
    decodeStrings: false,
    write(chunk: string, _enc, done) {
      writes.push(chunk);
      if (hold) held.push(() => done());
      else done();
    },
  });
  return { out, writes, release: () => { for (const d of held.splice(0)) d(); } };
}

describe('BatchedWrites', () => {
  it('hands the lines written in one turn to the stream in two writes, in order', async () => {
    const r = recorder();
    const w = new BatchedWrites(r.out);
    for (let i = 0; i < 100; i++) w.write(`line ${i}\n`);
    await w.flushed();
    expect(r.writes.length).toBe(2);
    expect(r.writes.join('')).toBe(Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join(''));
  });

  it('counts what waits while the stream holds a write back, and hands it over once it is done', async () => {
    const r = recorder(true);
    const w = new BatchedWrites(r.out);
    w.write('a\n');
    w.write('bb\n');
    w.write('ccc\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.writes).toEqual(['a\n']);
    expect(w.writableLength).toBe('a\nbb\nccc\n'.length); // the write held back counts too
    const done = w.flushed();
    r.release();
    await new Promise((resolve) => setImmediate(resolve));
    r.release();
    await done;
    expect(r.writes).toEqual(['a\n', 'bb\nccc\n']);
    expect(w.writableLength).toBe(0);
  });

  it('resolves flushed() more than once, and with nothing written', async () => {
    const r = recorder();
    const w = new BatchedWrites(r.out);
    await w.flushed();
    await w.flushed();
    expect(r.writes).toEqual([]);
  });

  it('does not wait past its bound for a stream that never takes the lines', async () => {
    const r = recorder(true);
    const w = new BatchedWrites(r.out);
    w.write('a\n');
    w.write('b\n');
    const t0 = performance.now();
    await w.flushed(50);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.writes).toEqual(['a\n']);
  });
});
