/**
 * A hash map from 48-bit MAC addresses (as numbers) to values, open addressing
 * over typed arrays. A MAC is never a small integer: a Map keyed by MACs is
 * handed every key boxed (an allocation per lookup); this one reads the key
 * as a double in place. Grows as needed; no deletion (the inventory is built once).
 */
export class MacMap<T> {
  private keys: Float64Array;
  private used: Uint8Array;
  private values: (T | undefined)[];
  private mask: number;
  private shift: number;
  size = 0;

  constructor(expected = 16) {
    let bits = 4;
    while (1 << bits < expected * 2) bits++;
    this.keys = new Float64Array(1 << bits);
    this.used = new Uint8Array(1 << bits);
    this.values = new Array<T | undefined>(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  /** Home slot: the low 32 bits (`>>> 0` is exact modulo 2^32 below 2^53) mixed with the high 16. */
  private home(mac: number): number {
    return Math.imul((mac >>> 0) ^ Math.imul((mac / 4294967296) | 0, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  get(mac: number): T | undefined {
    let i = this.home(mac);
    while (this.used[i] === 1) {
      if (this.keys[i] === mac) return this.values[i];
      i = (i + 1) & this.mask;
    }
    return undefined;
  }

  has(mac: number): boolean {
    return this.get(mac) !== undefined;
  }

  /** Sets the value; returns the previous one. */
  set(mac: number, value: T): T | undefined {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    let i = this.home(mac);
    while (this.used[i] === 1) {
      if (this.keys[i] === mac) {
        const prev = this.values[i];
        this.values[i] = value;
        return prev;
      }
      i = (i + 1) & this.mask;
    }
    this.used[i] = 1;
    this.keys[i] = mac;
    this.values[i] = value;
    this.size++;
    return undefined;
  }

  private grow(): void {
    const old = { keys: this.keys, used: this.used, values: this.values };
    const bits = 32 - this.shift + 1;
    this.keys = new Float64Array(1 << bits);
    this.used = new Uint8Array(1 << bits);
    this.values = new Array<T | undefined>(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.size = 0;
    for (let i = 0; i < old.keys.length; i++) if (old.used[i] === 1) this.set(old.keys[i], old.values[i] as T);
  }
}
