import { WakeableSleep, waitAtMost } from '../common/wakeable-sleep.js';
import type { MetricPoint } from './metric-point.js';
import { type PointTransport, WriteFailure, writeFailure } from './point-transport.js';

/** the ring's first size: a daemon's snapshot or two */
const RING_FIRST = 1024;

export interface PointPumpOptions {
  transport: PointTransport;
  /** points held at most, the batch being written included; past it the oldest waiting point is dropped, counted */
  capacity: number;
  /** points per write at most */
  batchSize: number;
  /**
   * how long points may wait for a full batch before they are written anyway, ms (0: written at once). A replay makes
   * its snapshots faster than a write takes: without it each write carried the few points of the moment, dozens of
   * HTTP requests a replay. @defaultValue 0
   */
  lingerMs?: number;
  /** delay before the first retry, ms; doubles up to maxRetryMs */
  retryMs: number;
  maxRetryMs: number;
  /** the first failure after a success (the server went away), and the first success after failures (it is back) */
  onDown?: (reason: string) => void;
  onUp?: (afterFailures: number) => void;
  /** a batch the server refused for good (bad data): dropped, counted */
  onRefused?: (reason: string, points: number) => void;
}

/**
 * Points on their way to one InfluxDB without ever blocking the caller: `push` is synchronous; one write at a time
 * of up to `batchSize` points, by size and by interval: a full batch goes at once, fewer wait up to `lingerMs` for
 * more (batches also grow by themselves when the server is slow); `idle` and `close` write what waits at once; a failed batch is retried as it is, with exponential backoff, while new points wait behind it. When the
 * buffer is full the oldest waiting point goes, counted: the newest state is what a dashboard wants.
 * At any moment, every point pushed is exactly one of written, dropped or held.
 */
export class PointPump {
  /** the waiting points, oldest at `head`: grown as they come, up to `capacity` (a replay's few thousand points did not need 100,000 slots made) */
  private ring: (MetricPoint | undefined)[];
  private head = 0;
  /** points waiting (not in the batch being written) */
  private waiting = 0;
  private batch: MetricPoint[] = [];
  private running = false;
  private closed = false;
  private down = false;
  private failuresInRow = 0;
  private readonly backoff = new WakeableSleep();
  private idleWaiters: (() => void)[] = [];
  private lingerTimer: NodeJS.Timeout | null = null;
  /** someone waits for what is held (idle, close): no lingering until it is written */
  private flushing = false;
  written = 0;
  dropped = 0;
  /** writes that failed (each is retried, unless refused for good or closing) */
  failedWrites = 0;
  retries = 0;
  /** why the last write failed, for the summary */
  lastError: string | null = null;

  constructor(private readonly o: PointPumpOptions) {
    if (o.capacity < o.batchSize) throw new Error('PointPump: capacity below batchSize');
    this.ring = new Array<MetricPoint | undefined>(Math.min(o.capacity, RING_FIRST));
  }

  get transport(): PointTransport {
    return this.o.transport;
  }

  /** the server is not answering: writes fail and are retried (told once per outage) */
  get isDown(): boolean {
    return this.down;
  }

  /** points held: waiting and being written */
  get held(): number {
    return this.waiting + this.batch.length;
  }

  push(points: readonly MetricPoint[]): void {
    const cap = this.o.capacity;
    for (const p of points) {
      if (this.closed) { this.dropped++; continue; }
      if (this.held === cap) {
        if (this.waiting === 0) { this.dropped++; continue; } // everything is in the batch being written
        this.ring[this.head] = undefined;
        this.head = (this.head + 1) % this.ring.length;
        this.waiting--;
        this.dropped++;
      }
      if (this.waiting === this.ring.length) this.grow();
      this.ring[(this.head + this.waiting) % this.ring.length] = p;
      this.waiting++;
    }
    this.schedule();
  }

  /** Resolves when nothing is held; what waits is written at once. */
  idle(): Promise<void> {
    if (this.held === 0 && !this.running) return Promise.resolve();
    const done = new Promise<void>((r) => this.idleWaiters.push(r));
    this.flushing = true;
    this.schedule();
    return done;
  }

  /** A write now if a batch is full (or someone waits), else one when the linger ends. */
  private schedule(): void {
    if (this.running || this.closed || this.waiting === 0) return;
    if (this.waiting >= this.o.batchSize || this.flushing || (this.o.lingerMs ?? 0) === 0) {
      this.stopLinger();
      void this.run();
      return;
    }
    this.lingerTimer ??= setTimeout(() => {
      this.lingerTimer = null;
      if (!this.running && this.waiting > 0 && !this.closed) void this.run();
    }, this.o.lingerMs);
  }

  private stopLinger(): void {
    if (this.lingerTimer !== null) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }

  /**
   * Waits up to `timeoutMs` for what is held to be written, then stops: what is left (a write still under way included)
   * is counted as dropped. Returns how many that were. Idempotent.
   */
  async close(timeoutMs: number): Promise<number> {
    if (!this.closed && this.held > 0) await waitAtMost(this.idle(), timeoutMs);
    this.closed = true;
    this.stopLinger();
    const left = this.held;
    this.dropped += left;
    this.batch = [];
    this.waiting = 0;
    this.ring.fill(undefined);
    this.backoff.wake();
    return left;
  }

  /** The ring doubled (at most to `capacity`), its waiting points in order from slot 0. */
  private grow(): void {
    const size = this.ring.length;
    const grown = new Array<MetricPoint | undefined>(Math.min(this.o.capacity, size * 2));
    for (let i = 0; i < this.waiting; i++) grown[i] = this.ring[(this.head + i) % size];
    this.ring = grown;
    this.head = 0;
  }

  private take(): void {
    const n = Math.min(this.o.batchSize, this.waiting);
    const size = this.ring.length;
    const batch = new Array<MetricPoint>(n);
    for (let i = 0; i < n; i++) {
      batch[i] = this.ring[this.head] as MetricPoint;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % size;
    }
    this.waiting -= n;
    this.batch = batch;
  }

  private async run(): Promise<void> {
    this.running = true;
    let delay = this.o.retryMs;
    while (!this.closed && (this.batch.length > 0 || this.waiting > 0)) {
      if (this.batch.length === 0) this.take();
      const batch = this.batch;
      try {
        await this.o.transport.write(batch);
      } catch (e) {
        if (this.closed) break; // close() counted the batch as dropped
        const f = e instanceof WriteFailure ? e : writeFailure(e);
        this.failedWrites++;
        this.lastError = f.message;
        if (f.permanent) {
          this.dropped += batch.length;
          this.batch = [];
          this.o.onRefused?.(f.message, batch.length);
          continue;
        }
        this.failuresInRow++;
        if (!this.down) {
          this.down = true;
          this.o.onDown?.(f.message);
        }
        this.retries++;
        await this.backoff.sleep(delay);
        delay = Math.min(delay * 2, this.o.maxRetryMs);
        continue;
      }
      if (this.closed) break;
      this.written += batch.length;
      this.batch = [];
      delay = this.o.retryMs;
      if (this.down) {
        this.down = false;
        this.o.onUp?.(this.failuresInRow);
      }
      this.failuresInRow = 0;
      // fewer than a batch: they wait for more, unless someone waits for them
      if (this.waiting < this.o.batchSize && !this.flushing && (this.o.lingerMs ?? 0) > 0) break;
    }
    this.running = false;
    if (this.held > 0 && !this.closed) {
      this.schedule();
      return;
    }
    this.flushing = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
