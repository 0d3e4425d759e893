/**
 * The floor of detection (issue 12): the bench capture's frames pre-decoded into typed arrays, and per
 * frame only the hash lookups any detector must make, over open-addressing tables of typed arrays:
 *
 * - the sender's state (get or insert; last seen, MAC compared and kept);
 * - the sender's role in the inventory (servers and failover IPs: role and allowed MAC; MAC compared);
 * - a request added to the pending pairs (sender, target) and to a time-ordered ring, a reply clearing
 *   its pair, the ring's requests past the reply timeout expired (one probe each);
 * - one window counter of the sender (its bucket rolled on packet time).
 *
 * No decode, no rules, no classify: what is left when a detector does nothing but reach its state.
 * bench/floor.c is the same loop in C (-O2), reading the inputs this file writes (writeFloorInput).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type InventoryParams, Layout } from './detect-capture.js';
import { OUT_DIR, ROOT } from './capture.js';

const OP_REPLY = 2;
const ROLE_SERVER = 1;
const ROLE_FAILOVER = 2;
const TWO_POW_32 = 4294967296;
/** the detector's defaults: 10 s buckets, 3 s reply timeout; tables sized for max_senders 100,000, max_pending 200,000 */
const BUCKET_MICROS = 10e6;
const TIMEOUT_MICROS = 3e6;
const SENDER_BITS = 18;
const PAIR_BITS = 19;
const RING = 200_000;

/** The frames, one column per field. */
export interface FloorFrames {
  n: number;
  ts: Float64Array;
  op: Uint8Array;
  sip: Int32Array;
  tip: Int32Array;
  smac: Float64Array;
}

/** The inventory's IPs (servers and failovers) with their role and allowed MAC, as an open-addressing table. */
export interface FloorInventory {
  bits: number;
  keys: Int32Array;
  used: Uint8Array;
  role: Uint8Array;
  mac: Float64Array;
}

/** Reads a classic little-endian µs pcap of Ethernet ARP frames (untagged, 802.1Q or QinQ) into columns. */
export function predecode(file: string, limit = Infinity): FloorFrames {
  const buf = fs.readFileSync(file);
  const cap = Math.min(limit, Math.floor((buf.length - 24) / 76) + 1);
  const f: FloorFrames = { n: 0, ts: new Float64Array(cap), op: new Uint8Array(cap), sip: new Int32Array(cap), tip: new Int32Array(cap), smac: new Float64Array(cap) };
  let o = 24;
  while (o + 16 <= buf.length && f.n < cap) {
    const ts = buf.readUInt32LE(o) * 1e6 + buf.readUInt32LE(o + 4);
    const caplen = buf.readUInt32LE(o + 8);
    const fr = o + 16;
    o = fr + caplen;
    let e = fr + 12;
    while (buf.readUInt16BE(e) === 0x8100 || buf.readUInt16BE(e) === 0x88a8) e += 4;
    if (buf.readUInt16BE(e) !== 0x0806) continue;
    const a = e + 2;
    const i = f.n++;
    f.ts[i] = ts;
    f.op[i] = buf.readUInt16BE(a + 6);
    f.smac[i] = buf.readUInt16BE(a + 8) * TWO_POW_32 + buf.readUInt32BE(a + 10);
    f.sip[i] = buf.readInt32BE(a + 14);
    f.tip[i] = buf.readInt32BE(a + 24);
  }
  return f;
}

function hash(k: number, shift: number): number {
  return Math.imul(k, 0x9e3779b1) >>> shift;
}

/** The inventory of the bench capture (bench/detect-capture.ts's Layout: computed, not parsed). */
export function floorInventory(p: InventoryParams): FloorInventory {
  const l = new Layout(p);
  let bits = 4;
  while (1 << bits < (p.servers + p.failovers) * 2) bits++;
  const size = 1 << bits;
  const inv: FloorInventory = { bits, keys: new Int32Array(size), used: new Uint8Array(size), role: new Uint8Array(size), mac: new Float64Array(size) };
  const put = (ip: number, role: number, mac: number): void => {
    let i = hash(ip | 0, 32 - bits);
    while (inv.used[i] === 1) i = (i + 1) & (size - 1);
    inv.used[i] = 1;
    inv.keys[i] = ip | 0;
    inv.role[i] = role;
    inv.mac[i] = mac;
  };
  for (let i = 0; i < p.servers; i++) put(l.serverIp(i), ROLE_SERVER, l.serverMac(i));
  for (let j = 0; j < p.failovers; j++) put(l.failoverIp(j), ROLE_FAILOVER, l.hasVmac(j) ? l.failoverVmac(j) : l.serverMac(l.failoverServer(j)));
  return inv;
}

/** The floor loop over the first `n` frames, on fresh state; returns a checksum of what it found (keeps the work observable). */
export function floorTs(f: FloorFrames, inv: FloorInventory, n: number): number {
  const sSize = 1 << SENDER_BITS;
  const sShift = 32 - SENDER_BITS;
  const sMask = sSize - 1;
  const sKeys = new Int32Array(sSize);
  const sUsed = new Uint8Array(sSize);
  const sLast = new Float64Array(sSize);
  const sMac = new Float64Array(sSize);
  const sBucket = new Int32Array(sSize);
  const sCount = new Uint32Array(sSize);
  const pSize = 1 << PAIR_BITS;
  const pShift = 32 - PAIR_BITS;
  const pMask = pSize - 1;
  const pA = new Int32Array(pSize);
  const pB = new Int32Array(pSize);
  const pTs = new Float64Array(pSize);
  const pUsed = new Uint8Array(pSize);
  const rA = new Int32Array(RING);
  const rB = new Int32Array(RING);
  const rTs = new Float64Array(RING);
  let head = 0;
  let len = 0;
  const iShift = 32 - inv.bits;
  const iMask = (1 << inv.bits) - 1;
  let sum = 0;

  const pairFind = (a: number, b: number): number => {
    let i = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> pShift;
    while (pUsed[i] === 1) {
      if (pA[i] === a && pB[i] === b) return i;
      i = (i + 1) & pMask;
    }
    return -1 - i;
  };
  const pairDelete = (i0: number): void => {
    let i = i0;
    let j = i;
    for (;;) {
      j = (j + 1) & pMask;
      if (pUsed[j] === 0) break;
      const h = (Math.imul(pA[j], 0x9e3779b1) ^ Math.imul(pB[j], 0x85ebca6b)) >>> pShift;
      if (i <= j ? h > i && h <= j : h > i || h <= j) continue;
      pA[i] = pA[j]; pB[i] = pB[j]; pTs[i] = pTs[j];
      i = j;
    }
    pUsed[i] = 0;
  };

  for (let k = 0; k < n; k++) {
    const ts = f.ts[k];
    const sip = f.sip[k];
    const tip = f.tip[k];
    // expiry: the ring's requests past the timeout, each one probe of its pair
    while (len > 0 && rTs[head] + TIMEOUT_MICROS <= ts) {
      const at = pairFind(rA[head], rB[head]);
      if (at >= 0 && pTs[at] === rTs[head]) { pairDelete(at); sum++; }
      head = head + 1 === RING ? 0 : head + 1;
      len--;
    }
    if (f.op[k] === OP_REPLY) {
      const at = pairFind(tip, sip);
      if (at >= 0) pairDelete(at);
    }
    // the sender's state
    let s = Math.imul(sip, 0x9e3779b1) >>> sShift;
    while (sUsed[s] === 1 && sKeys[s] !== sip) s = (s + 1) & sMask;
    if (sUsed[s] === 0) { sUsed[s] = 1; sKeys[s] = sip; sMac[s] = f.smac[k]; sBucket[s] = -1; }
    sLast[s] = ts;
    if (sMac[s] !== f.smac[k]) { sMac[s] = f.smac[k]; sum++; }
    // its role in the inventory
    let r = Math.imul(sip, 0x9e3779b1) >>> iShift;
    while (inv.used[r] === 1 && inv.keys[r] !== sip) r = (r + 1) & iMask;
    if (inv.used[r] === 1 && inv.mac[r] !== f.smac[k]) sum++;
    // one window counter
    const b = Math.floor(ts / BUCKET_MICROS);
    if (sBucket[s] !== b) { sBucket[s] = b; sCount[s] = 0; }
    sCount[s]++;
    // a request held
    if (f.op[k] !== OP_REPLY) {
      const at = pairFind(sip, tip);
      const i = at >= 0 ? at : -1 - at;
      if (at < 0) { pUsed[i] = 1; pA[i] = sip; pB[i] = tip; }
      pTs[i] = ts;
      if (len === RING) { head = head + 1 === RING ? 0 : head + 1; len--; }
      const w = head + len < RING ? head + len : head + len - RING;
      rA[w] = sip; rB[w] = tip; rTs[w] = ts;
      len++;
    }
  }
  return sum + len;
}

/** The floor's inputs for bench/floor.c: a header of counts, then the columns, little-endian (the host's order here). */
export function writeFloorInput(f: FloorFrames, inv: FloorInventory, file: string): void {
  const parts: Buffer[] = [];
  const hdr = new Uint32Array([0x666c6f72, f.n, inv.bits]);
  parts.push(Buffer.from(hdr.buffer));
  for (const a of [f.ts, f.op, f.sip, f.tip, f.smac]) parts.push(Buffer.from(a.buffer, a.byteOffset, f.n * a.BYTES_PER_ELEMENT));
  for (const a of [inv.keys, inv.used, inv.role, inv.mac]) parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  fs.writeFileSync(file, Buffer.concat(parts));
}

/** Builds bench/floor.c into bench/out/floor when cc exists and the binary is missing or older; returns its path or null. */
export function buildFloorC(): string | null {
  const src = path.join(ROOT, 'bench', 'floor.c');
  const bin = path.join(OUT_DIR, 'floor');
  if (fs.existsSync(bin) && fs.statSync(bin).mtimeMs >= fs.statSync(src).mtimeMs) return bin;
  const r = spawnSync('cc', ['-O2', '-o', bin, src], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    console.log(`  floor.c not built (${r.error?.message ?? `cc exited ${r.status}: ${(r.stderr ?? '').split('\n')[0]}`})`);
    return null;
  }
  return bin;
}

/** Runs the C floor on the input file over the first `small` frames and over all; returns both times in seconds. */
export function floorC(bin: string, input: string, small: number): { small: number; all: number; sum: number } | null {
  const r = spawnSync(bin, [input, String(small)], { encoding: 'utf8' });
  const m = /small ([\d.]+) all ([\d.]+) sum (\d+)/.exec(r.stdout ?? '');
  if (r.status !== 0 || m === null) {
    console.log(`  WARNING: ${path.relative(ROOT, bin)} exited ${r.status}: ${(r.stderr ?? '').split('\n')[0]}`);
    return null;
  }
  return { small: Number(m[1]), all: Number(m[2]), sum: Number(m[3]) };
}
