/**
 * An open-addressing hash set of IPv4 addresses (uint32) in typed arrays:
 * each IP gets a slot number, and callers keep their values in parallel typed
 * arrays indexed by it. Maps keyed by IPs above 2^30 box every key in V8 (they
 * are no small integers); this allocates nothing per lookup. No deletion.
 */
export class IpSlots {
  readonly capacity: number;
  private readonly keys: Uint32Array;
  private readonly used: Uint8Array;
  private readonly mask: number;
  private readonly shift: number;
  size = 0;

  /** Room for `maxEntries` (kept at most half full). */
  constructor(readonly maxEntries: number) {
    let bits = 4;
    while (1 << bits < maxEntries * 2) bits++;
    this.capacity = 1 << bits;
    this.mask = this.capacity - 1;
    this.shift = 32 - bits;
    this.keys = new Uint32Array(this.capacity);
    this.used = new Uint8Array(this.capacity);
  }

  /** The slot of `ip`, or -1 if absent. */
  find(ip: number): number {
    let i = Math.imul(ip, 0x9e3779b1) >>> this.shift;
    while (this.used[i] === 1) {
      if (this.keys[i] === ip) return i;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  /** The slot of `ip`, added if absent; -1 when `maxEntries` are already there. */
  findOrAdd(ip: number): number {
    let i = Math.imul(ip, 0x9e3779b1) >>> this.shift;
    while (this.used[i] === 1) {
      if (this.keys[i] === ip) return i;
      i = (i + 1) & this.mask;
    }
    if (this.size >= this.maxEntries) return -1;
    this.used[i] = 1;
    this.keys[i] = ip;
    this.size++;
    return i;
  }

  /** The IP in a slot (for listing). */
  ipAt(slot: number): number {
    return this.keys[slot];
  }

  isUsed(slot: number): boolean {
    return this.used[slot] === 1;
  }
}
