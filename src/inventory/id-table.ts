/**
 * Ids (servers, customers) to values, for resolving the file's references. A Map hashes each key
 * string in V8's runtime, about 1 µs for a string sliced from the file, and every reference is a
 * string of its own; this hashes in JavaScript (FNV-1a over the characters), a few ns.
 */
export class IdTable<T> {
  private hashes: Int32Array;
  private keys: (string | undefined)[];
  private values: (T | undefined)[];
  private mask: number;
  size = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.hashes = new Int32Array(cap);
    this.keys = new Array<string | undefined>(cap);
    this.values = new Array<T | undefined>(cap);
    this.mask = cap - 1;
  }

  get(key: string): T | undefined {
    const h = hash(key);
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      // the hash first (a typed array): the key string, elsewhere in memory, is read only on a match
      if (this.hashes[i] === h) {
        const k = this.keys[i];
        if (k === key) return this.values[i];
        if (k === undefined) return undefined;
      } else if (this.keys[i] === undefined) {
        return undefined;
      }
    }
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets the value (not undefined) unless the key is there already; returns whether it was added. */
  add(key: string, value: T): boolean {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const h = hash(key);
    let i = h & this.mask;
    for (; this.keys[i] !== undefined; i = (i + 1) & this.mask) if (this.hashes[i] === h && this.keys[i] === key) return false;
    this.keys[i] = key;
    this.hashes[i] = h;
    this.values[i] = value;
    this.size++;
    return true;
  }

  private grow(): void {
    const { keys, values } = this;
    const cap = (this.mask + 1) * 2;
    this.hashes = new Int32Array(cap);
    this.keys = new Array<string | undefined>(cap);
    this.values = new Array<T | undefined>(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== undefined) this.add(keys[i]!, values[i]!);
  }
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
