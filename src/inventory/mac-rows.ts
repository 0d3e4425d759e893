const TWO_POW_32 = 4294967296;

/**
 * 48-bit MAC (a number) → a code (0 or more), open addressing in one Int32Array: per slot [low 32 bits, high 16
 * bits, code + 1] (0: empty). A MAC is never a small integer, so a Map would be handed each one boxed; and unlike
 * an IpMap of chains this keeps no object per entry. Built once, sized ahead; no deletion.
 */
export class MacRows {
  private slots: Int32Array;
  private mask: number;
  private shift: number;
  size = 0;

  constructor(expected = 16) {
    let bits = 4;
    while (1 << bits < expected * 2) bits++;
    this.slots = new Int32Array(3 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  /** The code of `mac`, or -1. */
  codeOf(mac: number): number {
    // `| 0` keeps the low 32 bits exactly (ToInt32 is modulo 2^32); the division gives the high 16 below 2^53
    const lo = mac | 0;
    const hi = (mac / TWO_POW_32) | 0;
    const s = this.slots;
    let i = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
    for (let c = s[3 * i + 2]; c !== 0; c = s[3 * i + 2]) {
      if (s[3 * i] === lo && s[3 * i + 1] === hi) return c - 1;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  has(mac: number): boolean {
    return this.codeOf(mac) >= 0;
  }

  /** Sets the code of `mac` (0 or more); returns the previous one, or -1. */
  set(mac: number, code: number): number {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const lo = mac | 0;
    const hi = (mac / TWO_POW_32) | 0;
    const s = this.slots;
    let i = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
    for (let c = s[3 * i + 2]; c !== 0; c = s[3 * i + 2]) {
      if (s[3 * i] === lo && s[3 * i + 1] === hi) {
        s[3 * i + 2] = code + 1;
        return c - 1;
      }
      i = (i + 1) & this.mask;
    }
    s[3 * i] = lo;
    s[3 * i + 1] = hi;
    s[3 * i + 2] = code + 1;
    this.size++;
    return -1;
  }

  private grow(): void {
    const old = this.slots;
    const bits = 32 - this.shift + 1;
    this.slots = new Int32Array(3 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.size = 0;
    for (let i = 0; i < old.length; i += 3) if (old[i + 2] !== 0) this.set((old[i + 1] * TWO_POW_32) + (old[i] >>> 0), old[i + 2] - 1);
  }
}
