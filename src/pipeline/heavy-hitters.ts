/**
 * The most frequent sender IPs of a stream in bounded memory: Space-Saving (Metwally, Agrawal, El Abbadi, 2005) with
 * `capacity` counters and the randomized admission of RAP (Ben Basat, Chen, Einziger, Friedman, Kassner, 2019).
 * Memory never grows past the capacity however many IPs a spoofed flood invents. While fewer IPs than the capacity
 * are seen, every count is exact. Past it, an IP not held takes the place of the least counted one (inheriting its
 * count as its error) with probability 1 / (that count + 1), else it is not counted per IP: a frequent IP gets in
 * soon, a spoofed one almost never, and a spread-out stream does not replace an IP on every frame (plain
 * Space-Saving's delete and insert per frame cost more than the rest of the traffic summary). `count - error` is the
 * exact count since the IP was admitted; the draw is a seeded xorshift, so a replay gives the same top senders.
 *
 * O(1) per hit: items are kept in positions sorted by count, most first, and the positions of one count form a run
 * (start, end). A hit swaps the item to the start of its run and moves that position to the next run up (or a new
 * one), so nothing is ever searched or sorted on the path a frame takes; everything is typed arrays.
 */
export class HeavyHitters {
  /** IP → item (0..capacity-1); an item keeps its index while held, so callers keep columns of their own by it */
  private readonly items: ItemTable;
  private readonly ipOf: Uint32Array;
  readonly counts: Float64Array;
  readonly errors: Float64Array;
  /** position (0: most counted) → item, item → position */
  private readonly itemAt: Int32Array;
  private readonly positionOf: Int32Array;
  /** position → its run; a run's first and last position; runs not in use are on a free stack */
  private readonly runOf: Int32Array;
  private readonly runStart: Int32Array;
  private readonly runEnd: Int32Array;
  private readonly freeRuns: Int32Array;
  private freeTop: number;
  size = 0;
  /** hits counted, all IPs */
  total = 0;
  /** true after a hit that took an item for a new IP (the caller resets its own columns of that item) */
  fresh = false;
  /** xorshift32 state of the admission draw */
  private draw = 0x2545f491;
  /** top()'s buffer for sorting a run of ties */
  private ties = new Float64Array(64);

  constructor(readonly capacity: number) {
    // top() sorts ties by IP × capacity + item, exact below 2^53: IPs are 32 bits
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2 ** 21) throw new Error(`HeavyHitters: capacity ${capacity}`);
    this.items = new ItemTable(capacity);
    this.ipOf = new Uint32Array(capacity);
    this.counts = new Float64Array(capacity);
    this.errors = new Float64Array(capacity);
    this.itemAt = new Int32Array(capacity);
    this.positionOf = new Int32Array(capacity);
    this.runOf = new Int32Array(capacity);
    this.runStart = new Int32Array(capacity);
    this.runEnd = new Int32Array(capacity);
    this.freeRuns = Int32Array.from({ length: capacity }, (_, i) => capacity - 1 - i);
    this.freeTop = capacity;
  }

  /** Counts one occurrence of `ip` (uint32 or int32); returns its item, or -1 when it is not held (not admitted). */
  hit(ip: number): number {
    this.total++;
    let item = this.items.get(ip | 0);
    this.fresh = item < 0;
    if (item < 0) {
      if (this.size < this.capacity) {
        // a new item at the last position with count 0: a run of its own, below every other (all counted at least once)
        item = this.size++;
        const pos = item;
        this.itemAt[pos] = item;
        this.positionOf[item] = pos;
        this.counts[item] = 0;
        this.errors[item] = 0;
        const r = this.freeRuns[--this.freeTop];
        this.runStart[r] = pos;
        this.runEnd[r] = pos;
        this.runOf[pos] = r;
      } else {
        // the least counted item (the last position) is given to the new IP with probability 1 / (its count + 1),
        // its count kept as the new one's error
        item = this.itemAt[this.capacity - 1];
        let x = this.draw;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        this.draw = x;
        if ((x >>> 0) * (this.counts[item] + 1) >= 4294967296) {
          this.fresh = false;
          return -1;
        }
        this.items.delete(this.ipOf[item] | 0);
        this.errors[item] = this.counts[item];
      }
      this.ipOf[item] = ip >>> 0;
      this.items.set(ip | 0, item);
    }
    this.increment(item);
    return item;
  }

  /** Forgets every IP (a window's sketch starting again): the arrays are kept, nothing is allocated. */
  clear(): void {
    this.items.clear();
    this.size = 0;
    this.total = 0;
    this.fresh = false;
    for (let i = 0; i < this.capacity; i++) this.freeRuns[i] = this.capacity - 1 - i;
    this.freeTop = this.capacity;
  }

  /** The item holding `ip`, or -1. */
  itemOf(ip: number): number {
    return this.items.get(ip | 0);
  }

  ip(item: number): number {
    return this.ipOf[item];
  }

  /** The items of the `n` most counted IPs, most first, ties by IP (for a snapshot: allocates the result). */
  top(n: number): number[] {
    // positions are sorted by count already: only runs of one count (the n-th's ties included) need sorting by IP
    let m = Math.min(n, this.size);
    if (m === 0) return [];
    const { counts, ipOf, itemAt, capacity } = this;
    const last = counts[itemAt[m - 1]];
    while (m < this.size && counts[itemAt[m]] === last) m++;
    const out = new Array<number>(Math.min(n, m));
    let k = 0;
    for (let start = 0; start < m && k < out.length;) {
      let end = start + 1;
      while (end < m && counts[itemAt[end]] === counts[itemAt[start]]) end++;
      if (end - start === 1) out[k++] = itemAt[start];
      else {
        // a run of ties: IP × capacity + item as one number (below 2^53: exact), sorted natively, no comparator called
        const keys = this.tieKeys(end - start);
        for (let p = start; p < end; p++) keys[p - start] = ipOf[itemAt[p]] * capacity + itemAt[p];
        keys.sort();
        for (let j = 0; j < keys.length && k < out.length; j++) out[k++] = keys[j] % capacity;
      }
      start = end;
    }
    return out;
  }

  /** A view of `n` numbers of the reused buffer of tie keys (grown as needed, up to the capacity). */
  private tieKeys(n: number): Float64Array {
    if (this.ties.length < n) this.ties = new Float64Array(Math.min(this.capacity, Math.max(n, 2 * this.ties.length)));
    return this.ties.subarray(0, n);
  }

  private increment(item: number): void {
    const p = this.positionOf[item];
    const r = this.runOf[p];
    const s = this.runStart[r];
    // the item goes to the first position of its run (same count, so the order holds)
    const other = this.itemAt[s];
    this.itemAt[s] = item;
    this.positionOf[item] = s;
    this.itemAt[p] = other;
    this.positionOf[other] = p;
    const c = ++this.counts[item];
    // position s leaves its run...
    if (this.runEnd[r] === s) this.freeRuns[this.freeTop++] = r;
    else this.runStart[r] = s + 1;
    // ...for the run above when that one has the new count, else a run of its own
    if (s > 0 && this.counts[this.itemAt[s - 1]] === c) {
      const up = this.runOf[s - 1];
      this.runEnd[up] = s;
      this.runOf[s] = up;
    } else {
      const n = this.freeRuns[--this.freeTop];
      this.runStart[n] = s;
      this.runEnd[n] = s;
      this.runOf[s] = n;
    }
  }

  /** The invariant the O(1) step keeps (tests): counts sorted, runs exact. */
  checkInvariant(): void {
    for (let p = 0; p < this.size; p++) {
      const item = this.itemAt[p];
      if (this.positionOf[item] !== p) throw new Error(`position ${p}: item ${item} thinks it is at ${this.positionOf[item]}`);
      if (p > 0 && this.counts[this.itemAt[p - 1]] < this.counts[item]) throw new Error(`position ${p}: counts not sorted`);
      const r = this.runOf[p];
      if (this.runStart[r] > p || this.runEnd[r] < p) throw new Error(`position ${p}: outside its run`);
      const same = p > 0 && this.counts[this.itemAt[p - 1]] === this.counts[item];
      if (same !== (p > 0 && this.runOf[p - 1] === r)) throw new Error(`position ${p}: run boundary wrong`);
      if (this.items.get(this.ipOf[item] | 0) !== item) throw new Error(`item ${item}: not found by its IP`);
    }
    if (this.items.count() !== this.size) throw new Error(`${this.items.count()} IPs mapped, ${this.size} items`);
  }
}

/**
 * int32 IP → item, open addressing at a load of at most 1/4 over two Int32Arrays, deletes by backward shift. Not IpMap:
 * a full sketch replaces an IP on most frames of a spread-out stream (a delete and an insert per frame), and IpMap's
 * generic values array makes that three times slower.
 */
class ItemTable {
  private readonly keys: Int32Array;
  /** the item, -1 for an empty slot */
  private readonly vals: Int32Array;
  private readonly mask: number;
  private readonly shift: number;

  constructor(capacity: number) {
    let bits = 4;
    while (1 << bits < capacity * 4) bits++;
    this.keys = new Int32Array(1 << bits);
    this.vals = new Int32Array(1 << bits).fill(-1);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  /** the item of `k`, or -1 */
  get(k: number): number {
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const v = this.vals[i];
      if (v < 0 || this.keys[i] === k) return v;
      i = (i + 1) & this.mask;
    }
  }

  set(k: number, item: number): void {
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    while (this.vals[i] >= 0 && this.keys[i] !== k) i = (i + 1) & this.mask;
    this.keys[i] = k;
    this.vals[i] = item;
  }

  delete(k: number): void {
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    while (this.vals[i] >= 0 && this.keys[i] !== k) i = (i + 1) & this.mask;
    if (this.vals[i] < 0) return;
    // backward shift: later entries of the probe run move into the hole, so lookups need no tombstones
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (this.vals[j] < 0) break;
      const home = Math.imul(this.keys[j], 0x9e3779b1) >>> this.shift;
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!between) {
        this.keys[i] = this.keys[j];
        this.vals[i] = this.vals[j];
        i = j;
      }
    }
    this.vals[i] = -1;
  }

  clear(): void {
    this.vals.fill(-1);
  }

  /** entries held (tests: allocates nothing, but walks the table) */
  count(): number {
    let n = 0;
    for (let i = 0; i < this.vals.length; i++) if (this.vals[i] >= 0) n++;
    return n;
  }
}
