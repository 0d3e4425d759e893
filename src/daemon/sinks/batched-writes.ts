import { Writable } from 'node:stream';

/** How long a stop waits for stdout to take the last lines, ms. */
export const FLUSH_WAIT_MS = 2000;

/** What the stream sink writes to: a stream whose buffered bytes it can see. */
export type LineOut = NodeJS.WritableStream & { writableLength?: number };

/**
 * A stream in front of `out` that hands it the lines of one turn of the event loop in one write.
 *
 * Why: stdout is a pipe or journald's socket, and libuv tries each write at once, a system call (and
 * the reader's wake-up) a line; incident changes come by the hundred inside one batch of frames (8,765
 * lines, 8.5 MB, in the 1M-frame bench capture), and those writes took a third of the capture thread's
 * busy time (bench/README.md, live throughput, session 5), on the thread that drains the kernel ring. The first
 * line of a turn goes out at once; the ones after it wait, in order, for that write's callback (the
 * end of the batch) and go as one. While `out` holds a write back, the lines wait here and count in
 * `writableLength`, so the stream sink's bound (drop beyond it, capture never waits) holds as before.
 */
export class BatchedWrites extends Writable {
  private ended: Promise<void> | null = null;

  constructor(private readonly out: LineOut) {
    super({ decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (e?: Error | null) => void): void {
    // a failed write is `out`'s own error, seen where it was before; this stream goes on
    this.out.write(chunk, () => done());
  }

  override _writev(chunks: { chunk: string | Buffer }[], done: (e?: Error | null) => void): void {
    const all = chunks.every((c) => typeof c.chunk === 'string')
      ? chunks.map((c) => c.chunk as string).join('')
      : Buffer.concat(chunks.map((c) => (typeof c.chunk === 'string' ? Buffer.from(c.chunk) : c.chunk)));
    this.out.write(all, () => done());
  }

  /**
   * Resolves once every line is handed to `out` (before the exit summary is written to it), or after `waitMs`:
   * a reader that stopped reading must not hold a stop past its bound (what is left is lost at exit, as it was in `out`).
   */
  flushed(waitMs = FLUSH_WAIT_MS): Promise<void> {
    this.ended ??= new Promise((resolve) => this.end(() => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, waitMs).unref(); });
    return Promise.race([this.ended, late]).finally(() => clearTimeout(timer));
  }
}
