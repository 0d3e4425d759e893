/**
 * A hash map from IPv4 addresses (uint32) to values, open addressing over
 * typed arrays. V8 boxes every Map key above 2^30 (most IPs), so a Map.get
 * allocates; this one does not. Grows as needed; deletes by backward shift.
 * An address may be given as uint32 or as int32 (`ip | 0`, the same bits): the
 * hot path passes `ip | 0`, a small integer that a call not inlined does not box.
 */
export class IpMap<T> {
  /** per entry [key, used] side by side: a probe reads one cache line, not two */
  private keys: Int32Array;
  private values: (T | undefined)[];
  private mask: number;
  private shift: number;
  size = 0;

  constructor(expected = 16) {
    let bits = 4;
    while (1 << bits < expected * 2) bits++;
    this.keys = new Int32Array(2 << bits);
    this.values = new Array<T | undefined>(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  get(ip: number): T | undefined {
    const k = ip | 0;
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    while (this.keys[2 * i + 1] === 1) {
      if (this.keys[2 * i] === k) return this.values[i];
      i = (i + 1) & this.mask;
    }
    return undefined;
  }

  has(ip: number): boolean {
    return this.get(ip) !== undefined;
  }

  /** Sets the value; returns the previous one. */
  set(ip: number, value: T): T | undefined {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const k = ip | 0;
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    while (this.keys[2 * i + 1] === 1) {
      if (this.keys[2 * i] === k) {
        const prev = this.values[i];
        this.values[i] = value;
        return prev;
      }
      i = (i + 1) & this.mask;
    }
    this.keys[2 * i + 1] = 1;
    this.keys[2 * i] = k;
    this.values[i] = value;
    this.size++;
    return undefined;
  }

  delete(ip: number): boolean {
    const k = ip | 0;
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    while (this.keys[2 * i + 1] === 1 && this.keys[2 * i] !== k) i = (i + 1) & this.mask;
    if (this.keys[2 * i + 1] === 0) return false;
    // backward shift: move later entries of the probe run into the hole, so lookups need no tombstones
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (this.keys[2 * j + 1] === 0) break;
      const home = Math.imul(this.keys[2 * j], 0x9e3779b1) >>> this.shift;
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!between) {
        this.keys[2 * i] = this.keys[2 * j];
        this.values[i] = this.values[j];
        i = j;
      }
    }
    this.keys[2 * i + 1] = 0;
    this.values[i] = undefined;
    this.size--;
    return true;
  }

  *entries(): IterableIterator<[number, T]> {
    for (let i = 0; i <= this.mask; i++) if (this.keys[2 * i + 1] === 1) yield [this.keys[2 * i] >>> 0, this.values[i] as T];
  }

  list(): T[] {
    const out: T[] = [];
    for (let i = 0; i <= this.mask; i++) if (this.keys[2 * i + 1] === 1) out.push(this.values[i] as T);
    return out;
  }

  private grow(): void {
    const old = { keys: this.keys, values: this.values, size: this.mask + 1 };
    const bits = 32 - this.shift + 1;
    this.keys = new Int32Array(2 << bits);
    this.values = new Array<T | undefined>(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.size = 0;
    for (let i = 0; i < old.size; i++) if (old.keys[2 * i + 1] === 1) this.set(old.keys[2 * i], old.values[i] as T);
  }
}
