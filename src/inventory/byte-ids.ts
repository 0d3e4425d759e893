/**
 * Ids (servers', customers') as bytes, to rows: the cold load's table of the file's ids (stream-load.ts). An id is
 * added from the bytes of the line it is read on and kept in one joined byte column (each followed by "\n", which
 * no id holds), which is then the servers' id column as it is; a reference is found by hashing its bytes where
 * they lie, so no string is made for any of the 300,000 ids and references of an inventory.
 * Open addressing in one Int32Array: per slot [FNV-1a hash, row + 1] (0: empty). Ids are ASCII (the schema's).
 */
export class ByteIds {
  private bytes: Uint8Array;
  private length = 0;
  /** where row i's id starts in `bytes`; row i ends one byte before starts[i + 1] (its "\n") */
  private starts: Uint32Array;
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(2 * cap);
    this.mask = cap - 1;
    this.bytes = new Uint8Array(Math.max(64, expected * 12));
    this.starts = new Uint32Array(Math.max(16, expected) + 1);
  }

  /** The row of the id in b[from, to), or -1. */
  find(b: Uint8Array, from: number, to: number): number {
    const h = hash(b, from, to);
    const s = this.slots;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const r = s[2 * i + 1];
      if (r === 0) return -1;
      if (s[2 * i] === h && this.equals(r - 1, b, from, to)) return r - 1;
    }
  }

  /** Adds the id in b[from, to) as the next row (its number: size before the call); -1 when it is there already. */
  add(b: Uint8Array, from: number, to: number): number {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const h = hash(b, from, to);
    const s = this.slots;
    let i = h & this.mask;
    for (let r = s[2 * i + 1]; r !== 0; r = s[2 * i + 1]) {
      if (s[2 * i] === h && this.equals(r - 1, b, from, to)) return -1;
      i = (i + 1) & this.mask;
    }
    const row = this.size++;
    s[2 * i] = h;
    s[2 * i + 1] = row + 1;
    const n = to - from;
    if (this.length + n + 1 > this.bytes.length) {
      const g = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n + 1));
      g.set(this.bytes.subarray(0, this.length));
      this.bytes = g;
    }
    if (row + 2 > this.starts.length) {
      const g = new Uint32Array(this.starts.length * 2);
      g.set(this.starts);
      this.starts = g;
    }
    this.starts[row] = this.length;
    this.bytes.set(b.subarray(from, to), this.length);
    this.length += n;
    this.bytes[this.length++] = 10;
    this.starts[row + 1] = this.length;
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

  private equals(row: number, b: Uint8Array, from: number, to: number): boolean {
    const at = this.starts[row];
    if (this.starts[row + 1] - 1 - at !== to - from) return false;
    const k = this.bytes;
    for (let i = from, j = at; i < to; i++, j++) if (k[j] !== b[i]) return false;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Int32Array(2 * cap);
    this.mask = cap - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      let j = old[i] & this.mask;
      while (this.slots[2 * j + 1] !== 0) j = (j + 1) & this.mask;
      this.slots[2 * j] = old[i];
      this.slots[2 * j + 1] = old[i + 1];
    }
  }
}

function hash(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h;
}
