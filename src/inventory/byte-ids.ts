/**
 * Ids (servers', customers') as bytes, to rows: the cold load's table of the file's ids (stream-load.ts). An id is
 * added from the bytes of the line it is read on and kept in one joined byte column (each followed by "\n", which
 * no id holds), which is then the servers' id column as it is; a reference is found by hashing its bytes where
 * they lie, so no string is made for any of the 300,000 ids and references of an inventory.
 * Open addressing in one Int32Array: per slot [FNV-1a hash, row + 1 (0: empty), where the id starts in the bytes], so
 * that a probe reads the slot, then the id's bytes, and no third array between them. Ids are ASCII (the schema's).
 */
export class ByteIds {
  private bytes: Uint8Array;
  private length = 0;
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(3 * cap);
    this.mask = cap - 1;
    this.bytes = new Uint8Array(Math.max(64, expected * 12));
  }

  /** The row of the id in b[from, to), or -1. */
  find(b: Uint8Array, from: number, to: number): number {
    const h = hash(b, from, to);
    const s = this.slots;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const r = s[3 * i + 1];
      if (r === 0) return -1;
      if (s[3 * i] === h && this.equals(s[3 * i + 2], b, from, to)) return r - 1;
    }
  }

  /** Adds the id in b[from, to) as the next row (its number: size before the call); -1 when it is there already. */
  add(b: Uint8Array, from: number, to: number): number {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const h = hash(b, from, to);
    const s = this.slots;
    let i = h & this.mask;
    for (let r = s[3 * i + 1]; r !== 0; r = s[3 * i + 1]) {
      if (s[3 * i] === h && this.equals(s[3 * i + 2], b, from, to)) return -1;
      i = (i + 1) & this.mask;
    }
    const row = this.size++;
    s[3 * i] = h;
    s[3 * i + 1] = row + 1;
    s[3 * i + 2] = this.length;
    const n = to - from;
    if (this.length + n + 1 > this.bytes.length) {
      const g = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n + 1));
      g.set(this.bytes.subarray(0, this.length));
      this.bytes = g;
    }
    // byte by byte: an id is a few bytes, and a subarray to set() from would be an object per id
    const k = this.bytes;
    let at = this.length;
    for (let i = from; i < to; i++) k[at++] = b[i];
    k[at++] = 10;
    this.length = at;
    return row;
  }

  addString(id: string): number {
    const b = Buffer.from(id, 'latin1');
    return this.add(b, 0, b.length);
  }

  findString(id: string): number {
    const b = Buffer.from(id, 'latin1');
    return this.find(b, 0, b.length);
  }

  /** The ids in row order joined by "\n" (the index's id column). */
  joined(): string {
    return this.length === 0 ? '' : Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.length - 1).toString('latin1');
  }

  /** the id starting at `at` in the bytes (ended by its "\n") is b[from, to) */
  private equals(at: number, b: Uint8Array, from: number, to: number): boolean {
    const k = this.bytes;
    let j = at;
    for (let i = from; i < to; i++, j++) if (k[j] !== b[i]) return false;
    return k[j] === 10;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Int32Array(3 * cap);
    this.mask = cap - 1;
    for (let i = 0; i < old.length; i += 3) {
      if (old[i + 1] === 0) continue;
      let j = old[i] & this.mask;
      while (this.slots[3 * j + 1] !== 0) j = (j + 1) & this.mask;
      this.slots.set(old.subarray(i, i + 3), 3 * j);
    }
  }
}

function hash(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h;
}
