import { SIGNAL_COUNT } from './signal.js';

/** A bucket's count stops here (16 bits a bucket: a sender's counters fit 1.5 cache lines); thresholds are far below it. */
export const BUCKET_MAX = 0xffff;

/**
 * Per-sender event counts over a sliding window of packet time, kept in
 * `buckets` sub-intervals: the window slides one bucket at a time, so a
 * count covers between window − bucket and window of history. A sender's
 * counters are SIGNAL_COUNT × buckets entries of one shared array at `base`,
 * its newest bucket written one entry of `heads` at `h` (-1: none yet):
 * these functions work in place, nothing is allocated per event.
 */

/** Adds one event of `kind` at absolute bucket `bucket` (tsMicros / bucketMicros); returns the window count after it. */
export function windowAdd(counts: Uint16Array, base: number, heads: Float64Array, h: number, buckets: number, kind: number, bucket: number): number {
  advance(counts, base, heads, h, buckets, bucket);
  const i = base + kind * buckets + (bucket % buckets);
  if (counts[i] < BUCKET_MAX) counts[i]++;
  return sum(counts, base + kind * buckets, buckets);
}

/** The window count of `kind` as of absolute bucket `bucket`. */
export function windowCount(counts: Uint16Array, base: number, heads: Float64Array, h: number, buckets: number, kind: number, bucket: number): number {
  advance(counts, base, heads, h, buckets, bucket);
  return sum(counts, base + kind * buckets, buckets);
}

function sum(counts: Uint16Array, at: number, buckets: number): number {
  let total = 0;
  for (let b = 0; b < buckets; b++) total += counts[at + b];
  return total;
}

/** Clears the buckets that slid out of the window since the last event. */
function advance(counts: Uint16Array, base: number, heads: Float64Array, h: number, buckets: number, bucket: number): void {
  const head = heads[h];
  if (bucket <= head) return;
  const steps = head < 0 ? buckets : Math.min(bucket - head, buckets);
  for (let s = 1; s <= steps; s++) {
    const slot = (head < 0 ? bucket - buckets + s : head + s) % buckets;
    const idx = slot < 0 ? slot + buckets : slot;
    for (let k = 0; k < SIGNAL_COUNT; k++) counts[base + k * buckets + idx] = 0;
  }
  heads[h] = bucket;
}

/** One sender's counters on arrays of their own (tests, benches; the sender table shares one pool). */
export class SlidingCounters {
  readonly counts: Uint16Array;
  private readonly head = new Float64Array([-1]);

  constructor(private readonly buckets: number) {
    this.counts = new Uint16Array(SIGNAL_COUNT * buckets);
  }

  add(kind: number, bucket: number): number {
    return windowAdd(this.counts, 0, this.head, 0, this.buckets, kind, bucket);
  }

  count(kind: number, bucket: number): number {
    return windowCount(this.counts, 0, this.head, 0, this.buckets, kind, bucket);
  }
}

/** Bytes one sender's counters take. */
export function countersBytes(buckets: number): number {
  return SIGNAL_COUNT * buckets * 2;
}
