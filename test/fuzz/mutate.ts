/**
 * Seeded mutations of a capture file's bytes, each named (the name and the seed reproduce it): bit flips,
 * truncations, bogus record and block lengths, snaplens, magics, time resolutions and times.
 * The container is parsed only as far as a mutation needs to find its field; garbage is fine.
 */
import { Rng } from '../../fixtures/lib/rng.js';

export interface Mutation { name: string; bytes: Buffer }

const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_IDB = 1;
const PCAPNG_EPB = 6;
const MAGICS = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, PCAPNG_SHB, 0, 0xffffffff];
const LENGTHS = [0, 1, 3, 4, 12, 13, 0x7fffffff, 0x80000000, 0xffffffff, 262_144, 262_145, 65_535];
const SNAPLENS = [0, 1, 13, 64, 65_535, 262_144, 262_145, 0x7fffffff, 0x80000000, 0xffffffff];
/** if_tsresol: powers of ten (0..19 and absurd), powers of two (high bit), garbage */
const TSRESOLS = [0, 1, 3, 6, 9, 12, 15, 19, 20, 63, 127, 0x80, 0x80 | 10, 0x80 | 30, 0x80 | 63, 0x80 | 64, 0xff];
const SECONDS = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
const SUBSECONDS = [0, 999_999, 1_000_000, 999_999_999, 1_000_000_000, 0x80000000, 0xffffffff];

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[r.int(0, xs.length - 1)];

function isPcapng(b: Buffer): boolean {
  return b.length >= 4 && b.readUInt32LE(0) === PCAPNG_SHB;
}

/** Offsets of classic pcap records (the 16-byte headers), as far as the lengths hold. */
function pcapRecords(b: Buffer): number[] {
  const out: number[] = [];
  const le = b.readUInt32LE(0) === 0xa1b2c3d4 || b.readUInt32LE(0) === 0xa1b23c4d;
  for (let at = 24; at + 16 <= b.length && out.length < 100_000;) {
    out.push(at);
    const cap = le ? b.readUInt32LE(at + 8) : b.readUInt32BE(at + 8);
    at += 16 + cap;
  }
  return out;
}

/** Offsets and types of pcapng blocks (little-endian sections, as the fixtures are). */
function pcapngBlocks(b: Buffer): { at: number; type: number; len: number }[] {
  const out: { at: number; type: number; len: number }[] = [];
  for (let at = 0; at + 12 <= b.length && out.length < 100_000;) {
    const type = b.readUInt32LE(at);
    const len = b.readUInt32LE(at + 4);
    out.push({ at, type, len });
    if (len < 12 || len % 4 !== 0) break;
    at += len;
  }
  return out;
}

/** The named mutations of one capture: `perKind` of each kind that applies. */
export function mutations(original: Buffer, seed: number, perKind: number): Mutation[] {
  const r = new Rng(seed);
  const out: Mutation[] = [];
  const add = (name: string, f: (b: Buffer) => Buffer | void): void => {
    const b = Buffer.from(original);
    out.push({ name, bytes: f(b) ?? b });
  };
  const ng = isPcapng(original);
  for (let k = 0; k < perKind; k++) {
    add(`flip-${k}`, (b) => {
      for (let n = r.int(1, 16); n > 0; n--) {
        const i = r.int(0, b.length - 1);
        b[i] ^= 1 << r.int(0, 7);
      }
    });
    add(`flip-header-${k}`, (b) => {
      for (let n = r.int(1, 4); n > 0; n--) {
        const i = r.int(0, Math.min(b.length, 96) - 1);
        b[i] ^= 1 << r.int(0, 7);
      }
    });
    add(`truncate-${k}`, (b) => b.subarray(0, r.int(0, b.length - 1)));
    add(`magic-${k}`, (b) => { b.writeUInt32LE(pick(r, MAGICS), 0); });
    if (!ng) {
      const recs = pcapRecords(original);
      add(`snaplen-${k}`, (b) => { b.writeUInt32LE(pick(r, SNAPLENS), 16); });
      if (recs.length === 0) continue;
      add(`record-length-${k}`, (b) => {
        const at = pick(r, recs);
        b.writeUInt32LE(pick(r, LENGTHS), at + (r.int(0, 1) === 0 ? 8 : 12));
      });
      add(`time-${k}`, (b) => {
        for (let n = r.int(1, 8); n > 0; n--) {
          const at = pick(r, recs);
          if (r.int(0, 1) === 0) b.writeUInt32LE(pick(r, SECONDS), at);
          else b.writeUInt32LE(pick(r, SUBSECONDS), at + 4);
        }
      });
    } else {
      const blocks = pcapngBlocks(original);
      const idbs = blocks.filter((x) => x.type === PCAPNG_IDB);
      const epbs = blocks.filter((x) => x.type === PCAPNG_EPB);
      add(`block-length-${k}`, (b) => {
        const x = pick(r, blocks);
        const len = pick(r, LENGTHS);
        // the leading length, the trailing one, or both
        const where = r.int(0, 2);
        if (where !== 1) b.writeUInt32LE(len, x.at + 4);
        if (where !== 0 && x.at + x.len <= b.length && x.len >= 12) b.writeUInt32LE(len, x.at + x.len - 4);
      });
      if (idbs.length > 0) {
        add(`snaplen-${k}`, (b) => { b.writeUInt32LE(pick(r, SNAPLENS), pick(r, idbs).at + 12); });
        add(`tsresol-${k}`, (b) => withTsresol(b, pick(r, idbs), pick(r, TSRESOLS)));
      }
      if (epbs.length > 0) {
        add(`time-${k}`, (b) => {
          for (let n = r.int(1, 8); n > 0; n--) {
            const x = pick(r, epbs);
            b.writeUInt32LE(pick(r, SECONDS), x.at + 12 + (r.int(0, 1) === 0 ? 0 : 4));
          }
        });
        add(`packet-length-${k}`, (b) => { b.writeUInt32LE(pick(r, LENGTHS), pick(r, epbs).at + 20 + 4 * r.int(0, 1)); });
      }
    }
  }
  return out;
}

/** The IDB rewritten with an if_tsresol option of `value` (its other options dropped). */
function withTsresol(b: Buffer, idb: { at: number; len: number }, value: number): Buffer {
  const body = Buffer.alloc(8 + 8 + 4);
  b.copy(body, 0, idb.at + 8, idb.at + 16); // link type, reserved, snaplen
  body.writeUInt16LE(9, 8);
  body.writeUInt16LE(1, 10);
  body[12] = value;
  // 3 bytes of padding, then opt_endofopt
  body.writeUInt32LE(0, 16);
  const len = 12 + body.length;
  const block = Buffer.alloc(len);
  block.writeUInt32LE(PCAPNG_IDB, 0);
  block.writeUInt32LE(len, 4);
  body.copy(block, 8);
  block.writeUInt32LE(len, len - 4);
  return Buffer.concat([b.subarray(0, idb.at), block, b.subarray(idb.at + idb.len)]);
}
