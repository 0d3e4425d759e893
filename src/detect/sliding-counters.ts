import { SIGNAL_COUNT } from './signal.js';

/**
 * Per-sender event counts over a sliding window of packet time, kept in
 * `buckets` sub-intervals: the window slides one bucket at a time, so a
 * count covers between window − bucket and window of history. One typed array
 * per sender, no allocation per event.
 */
export class SlidingCounters {
  readonly counts: Uint32Array;
  /** where this sender's counters start in `counts` (a pool shared by many senders) */
  private readonly base: number;
  /** absolute bucket number (tsMicros / bucketMicros) of the newest bucket written */
  private head = -1;

  /** Counters of their own, or a zeroed slice of a shared pool at `base` (allocating a typed array per sender is slow). */
  constructor(private readonly buckets: number, pool?: Uint32Array, base = 0) {
    this.counts = pool ?? new Uint32Array(SIGNAL_COUNT * buckets);
    this.base = base;
    if (pool !== undefined) this.counts.fill(0, base, base + SIGNAL_COUNT * buckets);
  }

  /** Adds one event of `kind` at absolute bucket `bucket`; returns the window count after it. */
  add(kind: number, bucket: number): number {
    this.advance(bucket);
    const i = this.base + kind * this.buckets + (bucket % this.buckets);
    if (this.counts[i] < 0xffffffff) this.counts[i]++;
    return this.sum(kind);
  }

  /** The window count of `kind` as of absolute bucket `bucket`. */
  count(kind: number, bucket: number): number {
    this.advance(bucket);
    return this.sum(kind);
  }

  private sum(kind: number): number {
    const base = this.base + kind * this.buckets;
    let total = 0;
    for (let b = 0; b < this.buckets; b++) total += this.counts[base + b];
    return total;
  }

  /** Clears the buckets that slid out of the window since the last event. */
  private advance(bucket: number): void {
    if (bucket <= this.head) return;
    const steps = this.head < 0 ? this.buckets : Math.min(bucket - this.head, this.buckets);
    for (let s = 1; s <= steps; s++) {
      const slot = (this.head < 0 ? bucket - this.buckets + s : this.head + s) % this.buckets;
      const idx = slot < 0 ? slot + this.buckets : slot;
      for (let k = 0; k < SIGNAL_COUNT; k++) this.counts[this.base + k * this.buckets + idx] = 0;
    }
    this.head = bucket;
  }
}

/** Bytes one SlidingCounters holds in its typed array. */
export function countersBytes(buckets: number): number {
  return SIGNAL_COUNT * buckets * 4;
}
