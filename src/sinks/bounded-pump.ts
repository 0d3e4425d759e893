import { WakeableSleep, waitAtMost } from '../common/wakeable-sleep.js';

export interface BoundedPumpOptions<T> {
  /** items held at most; past it an item is dropped and counted (the new one, or the oldest waiting: `overflow`) */
  capacity: number;
  /** which item a full buffer drops: the one pushed (the default), or the oldest waiting (never the one being handled) */
  overflow?: 'drop-newest' | 'drop-oldest';
  /** told of each item dropped (refused, pushed out, or left at close): what was lost can be named */
  onDrop?: (item: T) => void;
  /** does the slow work for one item; a throw means "try again later" (the item stays first in line) */
  handle: (item: T) => Promise<void>;
  /** delay before the first retry, ms; doubles up to maxRetryMs */
  retryMs?: number;
  maxRetryMs?: number;
  /** told of each failure before its retry (for a log line) */
  onRetry?: (err: unknown, item: T, delayMs: number) => void;
}

/**
 * The plumbing a sink needs to never block capture: `push` is synchronous and O(1); a bounded FIFO
 * (drop newest or oldest waiting when full, counted); one item handled at a time, in order; a failing item is retried
 * with exponential backoff while the others wait behind it, then everything drains once it goes.
 */
export class BoundedPump<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;
  private running = false;
  private closing = false;
  private readonly backoff = new WakeableSleep();
  private idleWaiters: (() => void)[] = [];
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  /** items refused because the buffer was full (or after close) */
  dropped = 0;
  /** handler failures, each followed by a retry */
  retries = 0;
  /** items the handler finished */
  handled = 0;

  constructor(private readonly opts: BoundedPumpOptions<T>) {
    this.items = new Array<T | undefined>(opts.capacity);
    this.retryMs = opts.retryMs ?? 100;
    this.maxRetryMs = opts.maxRetryMs ?? 5000;
  }

  /** items waiting, the one being handled included */
  get pending(): number {
    return this.count;
  }

  /** Never waits: queues the item, or drops and counts it (or, `drop-oldest`, the oldest waiting one). */
  push(item: T): boolean {
    const cap = this.opts.capacity;
    if (this.count === cap && !this.closing && this.opts.overflow === 'drop-oldest' && cap > 1) {
      // the first item is being handled: the oldest waiting is the second; the first moves into its slot
      const next = (this.head + 1) % cap;
      this.opts.onDrop?.(this.items[next] as T);
      this.items[next] = this.items[this.head];
      this.items[this.head] = undefined;
      this.head = next;
      this.count--;
      this.dropped++;
    }
    if (this.closing || this.count === cap) {
      this.dropped++;
      this.opts.onDrop?.(item);
      return false;
    }
    this.items[(this.head + this.count) % this.opts.capacity] = item;
    this.count++;
    if (!this.running) void this.run();
    return true;
  }

  /**
   * Stops taking items and waits up to `timeoutMs` (Infinity: as long as it takes) for those held
   * to be handled. Returns how many were left (counted as dropped too). Idempotent.
   */
  async close(timeoutMs: number): Promise<number> {
    this.closing = true;
    if (this.count > 0) await waitAtMost(this.idle(), timeoutMs);
    const left = this.count;
    this.dropped += left;
    const onDrop = this.opts.onDrop;
    if (onDrop !== undefined) for (let i = 0; i < left; i++) onDrop(this.items[(this.head + i) % this.opts.capacity] as T);
    this.count = 0;
    this.items.fill(undefined);
    this.backoff.wake();
    return left;
  }

  /** The items held, oldest first (the one being handled included). */
  held(): T[] {
    return Array.from({ length: this.count }, (_, i) => this.items[(this.head + i) % this.opts.capacity] as T);
  }

  /** Resolves when nothing is held. */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private async run(): Promise<void> {
    this.running = true;
    let delay = this.retryMs;
    while (this.count > 0) {
      const item = this.items[this.head] as T;
      try {
        await this.opts.handle(item);
      } catch (e) {
        if (this.count === 0) break; // closed meanwhile
        this.retries++;
        this.opts.onRetry?.(e, item, delay);
        await this.backoff.sleep(delay);
        delay = Math.min(delay * 2, this.maxRetryMs);
        continue;
      }
      delay = this.retryMs;
      if (this.count === 0) break; // closed meanwhile: the item was counted as left
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.opts.capacity;
      this.count--;
      this.handled++;
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
