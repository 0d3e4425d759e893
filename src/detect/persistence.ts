/**
 * In how many distinct periods (minutes, by default) of a longer horizon a sender showed a
 * signal's evidence: what makes a quiet misconfiguration worth an email is that it persists, not
 * that it is fast. Per set (one per routed sender with evidence, taken with alloc, given back with
 * free) and persistent signal: the last period seen and a 64-bit set of the periods before it, in
 * typed arrays that grow with the sets in use (never per frame).
 */
export class PeriodSets {
  private last = new Float64Array(0);
  private lo = new Uint32Array(0);
  private hi = new Uint32Array(0);
  private free: number[] = [];
  private next = 0;
  private readonly horizonMask: { lo: number; hi: number };

  /** `kinds`: how many persistent signals there are per set; `horizon`: periods looked back (1 to 64), the current one included */
  constructor(private readonly kinds: number, horizon: number) {
    if (horizon < 1 || horizon > 64) throw new Error(`PeriodSets: horizon ${horizon} out of 1..64`);
    this.horizonMask = horizon >= 32
      ? { lo: 0xffffffff, hi: horizon === 64 ? 0xffffffff : ((1 << (horizon - 32)) - 1) >>> 0 }
      : { lo: ((1 << horizon) - 1) >>> 0, hi: 0 };
  }

  /** A set of its own, empty, for a new sender. */
  alloc(): number {
    const set = this.free.length > 0 ? this.free.pop()! : this.next++;
    if ((set + 1) * this.kinds > this.last.length) this.grow(set);
    for (let k = 0; k < this.kinds; k++) {
      const i = set * this.kinds + k;
      this.last[i] = 0;
      this.lo[i] = 0;
      this.hi[i] = 0;
    }
    return set;
  }

  /** Gives a set back (its sender is forgotten). */
  release(set: number): void {
    this.free.push(set);
  }

  /** Sets in use. */
  get size(): number {
    return this.next - this.free.length;
  }

  /** Records evidence of persistent signal `k` (0-based among the persistent ones) in `period`; returns the distinct periods within the horizon. */
  add(set: number, k: number, period: number): number {
    const i = set * this.kinds + k;
    const d = period - this.last[i];
    if (this.lo[i] === 0 && this.hi[i] === 0) {
      this.lo[i] = 1;
    } else if (d > 0) {
      // shift the set left by d periods (bit 0 is the last period seen)
      if (d >= 64) {
        this.lo[i] = 0;
        this.hi[i] = 0;
      } else if (d >= 32) {
        this.hi[i] = d === 32 ? this.lo[i] : (this.lo[i] << (d - 32)) >>> 0;
        this.lo[i] = 0;
      } else {
        this.hi[i] = ((this.hi[i] << d) | (this.lo[i] >>> (32 - d))) >>> 0;
        this.lo[i] = (this.lo[i] << d) >>> 0;
      }
      this.lo[i] = (this.lo[i] | 1) >>> 0;
    }
    // an older period than the last (detection's time never runs back): already counted in the last one
    if (d > 0) this.last[i] = period;
    return popcount((this.lo[i] & this.horizonMask.lo) >>> 0) + popcount((this.hi[i] & this.horizonMask.hi) >>> 0);
  }

  /** The distinct periods within the horizon as of `period`, without recording (explain). */
  count(set: number, k: number, period: number): number {
    const i = set * this.kinds + k;
    const d = period - this.last[i];
    if (d >= 64) return 0;
    let lo = this.lo[i];
    let hi = this.hi[i];
    if (d >= 32) { hi = (lo << (d - 32)) >>> 0; lo = 0; } else if (d > 0) { hi = ((hi << d) | (lo >>> (32 - d))) >>> 0; lo = (lo << d) >>> 0; }
    return popcount((lo & this.horizonMask.lo) >>> 0) + popcount((hi & this.horizonMask.hi) >>> 0);
  }

  private grow(set: number): void {
    const sets = Math.max(1024, 2 ** Math.ceil(Math.log2(set + 1)));
    const n = sets * this.kinds;
    const last = new Float64Array(n); last.set(this.last); this.last = last;
    const lo = new Uint32Array(n); lo.set(this.lo); this.lo = lo;
    const hi = new Uint32Array(n); hi.set(this.hi); this.hi = hi;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return (Math.imul(x, 0x01010101) >>> 24);
}
