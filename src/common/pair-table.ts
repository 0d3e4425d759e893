/** Entries a table starts with (it doubles as pairs come, up to twice maxEntries). */
const FIRST_SLOTS_BITS = 10;

/**
 * A hash table from a pair of uint32 (sender IP, target IP) to an int32, open
 * addressing over typed arrays with backward-shift deletion: nothing allocated
 * per operation but when it doubles. Holds at most `maxEntries`. It is sized to
 * the pairs held (at most half full), not to `maxEntries`: a few thousand pairs
 * pending out of a cap of 200,000 then sit in a table that stays in cache, not
 * scattered over 8 MB (a cache miss a probe). Keys may be given as uint32 or int32
 * (`ip | 0`, the same bits): the hot path passes `ip | 0`, a small integer that a
 * call not inlined does not box.
 */
export class PairTable {
  /** per entry [a, b, value, used] side by side: a probe reads one cache line, not four */
  private e: Int32Array;
  private mask: number;
  private shift: number;
  /** the table's size at maxEntries (at most half full) */
  private readonly maxSlots: number;
  size = 0;

  constructor(readonly maxEntries: number) {
    let bits = 4;
    while (1 << bits < maxEntries * 2) bits++;
    this.maxSlots = 1 << bits;
    const first = Math.min(bits, FIRST_SLOTS_BITS);
    this.e = new Int32Array(4 << first);
    this.mask = (1 << first) - 1;
    this.shift = 32 - first;
  }

  /** Bytes its entries take now. */
  get byteSize(): number {
    return this.e.byteLength;
  }

  /** The table's slots now (grows with the pairs held). */
  get slots(): number {
    return this.mask + 1;
  }

  /** Twice the slots, every pair placed again (indices from indexOf are not valid across it: only upsert grows). */
  private grow(): void {
    const old = this.e;
    const slots = 2 * (this.mask + 1);
    this.e = new Int32Array(4 * slots);
    this.mask = slots - 1;
    this.shift--;
    const e = this.e;
    for (let j = 0; j < old.length; j += 4) {
      if (old[j + 3] === 0) continue;
      let i = this.home(old[j], old[j + 1]);
      while (e[4 * i + 3] === 1) i = (i + 1) & this.mask;
      e[4 * i] = old[j];
      e[4 * i + 1] = old[j + 1];
      e[4 * i + 2] = old[j + 2];
      e[4 * i + 3] = 1;
    }
  }

  /** Every pair's value `v` becomes `f(v)` (its owner moved what the values index). */
  mapValues(f: (v: number) => number): void {
    const e = this.e;
    for (let j = 0; j < e.length; j += 4) if (e[j + 3] === 1) e[j + 2] = f(e[j + 2]);
  }

  private home(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> this.shift;
  }

  private find(a: number, b: number): number {
    const e = this.e;
    let i = this.home(a, b);
    while (e[4 * i + 3] === 1) {
      if (e[4 * i] === a && e[4 * i + 1] === b) return i;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  /** Where the pair sits (for valueAt, deleteAt), or -1. */
  indexOf(a: number, b: number): number {
    return this.find(a | 0, b | 0);
  }

  valueAt(index: number): number {
    return this.e[4 * index + 2];
  }

  /** Sets the value in one probe; returns the previous one, -1 when the pair is new, -2 when it is new and the table full. */
  upsert(a0: number, b0: number, value: number): number {
    const a = a0 | 0;
    const b = b0 | 0;
    if ((this.size + 1) * 2 > this.mask + 1 && this.mask + 1 < this.maxSlots) this.grow();
    const e = this.e;
    let i = this.home(a, b);
    while (e[4 * i + 3] === 1) {
      if (e[4 * i] === a && e[4 * i + 1] === b) {
        const prev = e[4 * i + 2];
        e[4 * i + 2] = value;
        return prev;
      }
      i = (i + 1) & this.mask;
    }
    if (this.size >= this.maxEntries) return -2;
    e[4 * i] = a;
    e[4 * i + 1] = b;
    e[4 * i + 2] = value;
    e[4 * i + 3] = 1;
    this.size++;
    return -1;
  }

  /** Deletes the pair in one probe; returns its value, or -1 when absent. */
  take(a: number, b: number): number {
    const i = this.find(a | 0, b | 0);
    if (i < 0) return -1;
    const v = this.e[4 * i + 2];
    this.deleteAt(i);
    return v;
  }

  /** The value, or -1 when absent (values are ring indices: never negative). */
  get(a: number, b: number): number {
    const i = this.find(a | 0, b | 0);
    return i < 0 ? -1 : this.e[4 * i + 2];
  }

  /** Sets the value; false when the pair is new and the table is full. */
  set(a0: number, b0: number, value: number): boolean {
    const a = a0 | 0;
    const b = b0 | 0;
    return this.upsert(a, b, value) !== -2;
  }

  delete(a: number, b: number): boolean {
    const i = this.find(a | 0, b | 0);
    if (i < 0) return false;
    this.deleteAt(i);
    return true;
  }

  /** Deletes the pair at `index` (from indexOf). */
  deleteAt(index: number): void {
    const e = this.e;
    let i = index;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (e[4 * j + 3] === 0) break;
      const h = this.home(e[4 * j], e[4 * j + 1]);
      const between = i <= j ? h > i && h <= j : h > i || h <= j;
      if (!between) {
        e[4 * i] = e[4 * j];
        e[4 * i + 1] = e[4 * j + 1];
        e[4 * i + 2] = e[4 * j + 2];
        i = j;
      }
    }
    e[4 * i + 3] = 0;
    this.size--;
  }
}
