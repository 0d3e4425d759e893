/**
 * A fixed-size hash table from a pair of uint32 (sender IP, target IP) to an
 * int32, open addressing over typed arrays with backward-shift deletion:
 * nothing allocated per operation. Holds at most `maxEntries`. Keys may be
 * given as uint32 or int32 (`ip | 0`, the same bits): the hot path passes
 * `ip | 0`, a small integer that a call not inlined does not box.
 */
export class PairTable {
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly v: Int32Array;
  private readonly used: Uint8Array;
  private readonly mask: number;
  private readonly shift: number;
  size = 0;

  constructor(readonly maxEntries: number) {
    let bits = 4;
    while (1 << bits < maxEntries * 2) bits++;
    this.a = new Int32Array(1 << bits);
    this.b = new Int32Array(1 << bits);
    this.v = new Int32Array(1 << bits);
    this.used = new Uint8Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  private home(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> this.shift;
  }

  private find(a: number, b: number): number {
    let i = this.home(a, b);
    while (this.used[i] === 1) {
      if (this.a[i] === a && this.b[i] === b) return i;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  /** Where the pair sits (for valueAt, deleteAt), or -1. */
  indexOf(a: number, b: number): number {
    return this.find(a | 0, b | 0);
  }

  valueAt(index: number): number {
    return this.v[index];
  }

  /** Sets the value in one probe; returns the previous one, -1 when the pair is new, -2 when it is new and the table full. */
  upsert(a0: number, b0: number, value: number): number {
    const a = a0 | 0;
    const b = b0 | 0;
    let i = this.home(a, b);
    while (this.used[i] === 1) {
      if (this.a[i] === a && this.b[i] === b) {
        const prev = this.v[i];
        this.v[i] = value;
        return prev;
      }
      i = (i + 1) & this.mask;
    }
    if (this.size >= this.maxEntries) return -2;
    this.used[i] = 1;
    this.a[i] = a;
    this.b[i] = b;
    this.v[i] = value;
    this.size++;
    return -1;
  }

  /** Deletes the pair in one probe; returns its value, or -1 when absent. */
  take(a: number, b: number): number {
    const i = this.find(a | 0, b | 0);
    if (i < 0) return -1;
    const v = this.v[i];
    this.deleteAt(i);
    return v;
  }

  /** The value, or -1 when absent (values are ring indices: never negative). */
  get(a: number, b: number): number {
    const i = this.find(a | 0, b | 0);
    return i < 0 ? -1 : this.v[i];
  }

  /** Sets the value; false when the pair is new and the table is full. */
  set(a0: number, b0: number, value: number): boolean {
    const a = a0 | 0;
    const b = b0 | 0;
    let i = this.home(a, b);
    while (this.used[i] === 1) {
      if (this.a[i] === a && this.b[i] === b) {
        this.v[i] = value;
        return true;
      }
      i = (i + 1) & this.mask;
    }
    if (this.size >= this.maxEntries) return false;
    this.used[i] = 1;
    this.a[i] = a;
    this.b[i] = b;
    this.v[i] = value;
    this.size++;
    return true;
  }

  delete(a: number, b: number): boolean {
    const i = this.find(a | 0, b | 0);
    if (i < 0) return false;
    this.deleteAt(i);
    return true;
  }

  /** Deletes the pair at `index` (from indexOf). */
  deleteAt(index: number): void {
    let i = index;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (this.used[j] === 0) break;
      const h = this.home(this.a[j], this.b[j]);
      const between = i <= j ? h > i && h <= j : h > i || h <= j;
      if (!between) {
        this.a[i] = this.a[j];
        this.b[i] = this.b[j];
        this.v[i] = this.v[j];
        i = j;
      }
    }
    this.used[i] = 0;
    this.size--;
  }
}
