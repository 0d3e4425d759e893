import { IpMap } from './ip-map.js';

/** MACs that share their low 32 bits (they differ in the high 16), chained. */
interface MacEntry<T> {
  hi: number;
  value: T;
  next: MacEntry<T> | undefined;
}

/**
 * A map from 48-bit MAC addresses (as numbers) to values. A MAC is never a small integer: a Map
 * keyed by MACs is handed every key boxed (an allocation per lookup). This one looks the low 32
 * bits up in an IpMap (as an int32, the same bits) and tells the rare MACs that share them by
 * their high 16 bits. No deletion (the inventory is built once).
 */
export class MacMap<T> {
  private readonly byLow: IpMap<MacEntry<T>>;
  size = 0;

  constructor(expected = 16) {
    this.byLow = new IpMap<MacEntry<T>>(expected);
  }

  get(mac: number): T | undefined {
    // `| 0` keeps the low 32 bits exactly (ToInt32 is modulo 2^32); the division gives the high 16 below 2^53
    let e = this.byLow.get(mac | 0);
    const hi = (mac / 4294967296) | 0;
    while (e !== undefined) {
      if (e.hi === hi) return e.value;
      e = e.next;
    }
    return undefined;
  }

  has(mac: number): boolean {
    return this.get(mac) !== undefined;
  }

  /** Sets the value; returns the previous one. */
  set(mac: number, value: T): T | undefined {
    const hi = (mac / 4294967296) | 0;
    const first = this.byLow.get(mac | 0);
    for (let e = first; e !== undefined; e = e.next) {
      if (e.hi !== hi) continue;
      const prev = e.value;
      e.value = value;
      return prev;
    }
    this.byLow.set(mac | 0, { hi, value, next: first });
    this.size++;
    return undefined;
  }
}
