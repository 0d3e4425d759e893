/**
 * IPv4 address (uint32, or int32 of the same bits) → row number (0 or more), open addressing in one Int32Array:
 * per slot [key, row + 1] side by side (0: empty), so a probe reads one cache line and no array of objects is
 * kept beside it. The inventory's tables are built once, sized ahead; no deletion.
 */
export class IpRows {
  private slots: Int32Array;
  private mask: number;
  private shift: number;
  size = 0;

  constructor(expected = 16) {
    let bits = 4;
    while (1 << bits < expected * 2) bits++;
    this.slots = new Int32Array(2 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  /** The row of `ip`, or -1. */
  rowOf(ip: number): number {
    const k = ip | 0;
    const s = this.slots;
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    for (let r = s[2 * i + 1]; r !== 0; r = s[2 * i + 1]) {
      if (s[2 * i] === k) return r - 1;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  has(ip: number): boolean {
    return this.rowOf(ip) >= 0;
  }

  /** Sets the row of `ip` (0 or more); returns the previous one, or -1. */
  set(ip: number, row: number): number {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const k = ip | 0;
    const s = this.slots;
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    for (let r = s[2 * i + 1]; r !== 0; r = s[2 * i + 1]) {
      if (s[2 * i] === k) {
        s[2 * i + 1] = row + 1;
        return r - 1;
      }
      i = (i + 1) & this.mask;
    }
    s[2 * i] = k;
    s[2 * i + 1] = row + 1;
    this.size++;
    return -1;
  }

  private grow(): void {
    const old = this.slots;
    const bits = 32 - this.shift + 1;
    this.slots = new Int32Array(2 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.set(old[i], old[i + 1] - 1);
  }
}
