/**
 * The two entries that make up nearly all of an inventory (servers, failover IPs) read from the bytes of their line
 * (stream-load.ts), no string made: `{ id: srv-1, customer: c-1, ip: 192.0.2.1, mac: "0c:c4:7a:00:00:01", ... }`.
 * Only a strict part of what line-yaml.ts reads is taken here, the part where its reading is plain: plain ids
 * (a letter first, then letters, digits, ".", "_", "-"; not a null or boolean word) or quoted ones, plain IPv4
 * addresses, quoted MACs or plain dashed ones, plain vlan numbers and booleans, spaces only between the tokens,
 * nothing after the closing brace. Any other line answers false and is read by line-yaml.ts and the schema, as
 * before (stream-entries.test.ts pins that what is taken here is what they give).
 */
import { parseIpBytes, parseMacBytes } from '../common/addr-bytes.js';

/** A server line's fields: its id and customer as byte ranges of the line, addresses as numbers, vlan -1 for none. */
export interface ServerFields { idFrom: number; idTo: number; customerFrom: number; customerTo: number; ip: number; mac: number; gateway: number; vlan: number }
/** A failover line's fields: its server's id as a byte range, vmac -1 for none. */
export interface FailoverFields { ip: number; serverFrom: number; serverTo: number; vmac: number; muted: boolean }

export const serverFields = (): ServerFields => ({ idFrom: 0, idTo: 0, customerFrom: 0, customerTo: 0, ip: 0, mac: 0, gateway: 0, vlan: -1 });
export const failoverFields = (): FailoverFields => ({ ip: 0, serverFrom: 0, serverTo: 0, vmac: -1, muted: false });

const K_ID = 0;
const K_CUSTOMER = 1;
const K_IP = 2;
const K_MAC = 3;
const K_GATEWAY = 4;
const K_VLAN = 5;
const K_SERVER = 6;
const K_VIRTUAL_MAC = 7;
const K_MUTED = 8;
const KEYS = ['id', 'customer', 'ip', 'mac', 'gateway', 'vlan', 'server', 'virtual_mac', 'muted'].map((k) => Buffer.from(k, 'latin1'));
const SERVER_KEYS = (1 << K_ID) | (1 << K_CUSTOMER) | (1 << K_IP) | (1 << K_MAC) | (1 << K_GATEWAY) | (1 << K_VLAN);
const SERVER_NEEDS = SERVER_KEYS & ~(1 << K_VLAN);
const FAILOVER_KEYS = (1 << K_IP) | (1 << K_SERVER) | (1 << K_VIRTUAL_MAC) | (1 << K_MUTED);
const FAILOVER_NEEDS = (1 << K_IP) | (1 << K_SERVER);

/** the bytes a plain token may hold: letters, digits, ".", "_", "-" */
const PLAIN = new Uint8Array(256);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-') PLAIN[c.charCodeAt(0)] = 1;
/** inside quotes: those and ":" (a MAC) */
const QUOTED = PLAIN.slice();
QUOTED[58] = 1;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** One pass over a flow mapping's pairs: after next(), the key's number and the value's bytes (without its quotes). */
class Pairs {
  b: Uint8Array = new Uint8Array(0);
  private p = 0;
  private end = 0;
  key = -1;
  from = 0;
  to = 0;
  quoted = false;

  /** `{` at from, `}` then only spaces up to `to`; false when not */
  open(b: Uint8Array, from: number, to: number): boolean {
    let e = to;
    while (e > from && b[e - 1] === 32) e--;
    if (b[from] !== 123 /* { */ || e - from < 2 || b[e - 1] !== 125 /* } */) return false;
    this.b = b;
    this.p = from + 1;
    this.end = e - 1;
    return true;
  }

  /** The next pair: true; at the end: false with key -1; not this strict shape: false with key -2. */
  next(first: boolean): boolean {
    const b = this.b;
    let p = this.p;
    while (p < this.end && b[p] === 32) p++;
    if (p === this.end) {
      this.key = first ? -2 : -1;
      return false;
    }
    this.key = -2;
    const k = keyAt(b, p, this.end);
    if (k < 0) return false;
    p += KEYS[k].length + 2;
    while (p < this.end && b[p] === 32) p++;
    const q = b[p];
    if (q === 34 || q === 39) {
      let i = p + 1;
      while (i < this.end && QUOTED[b[i]] === 1) i++;
      if (i === this.end || b[i] !== q || i === p + 1) return false;
      this.from = p + 1;
      this.to = i;
      this.quoted = true;
      p = i + 1;
      while (p < this.end && b[p] === 32) p++;
    } else {
      let i = p;
      while (i < this.end && PLAIN[b[i]] === 1) i++;
      if (i === p) return false;
      this.from = p;
      this.to = i;
      this.quoted = false;
      p = i;
      while (p < this.end && b[p] === 32) p++;
    }
    if (p < this.end) {
      if (b[p] !== 44 /* , */) return false;
      p++;
      // a trailing comma is not the simple shape (line-yaml.ts)
      let r = p;
      while (r < this.end && b[r] === 32) r++;
      if (r === this.end) return false;
    }
    this.p = p;
    this.key = k;
    return true;
  }
}

/** the keys that may start with each byte (by their first letter, at most two) */
const BY_FIRST: number[][] = Array.from({ length: 256 }, () => []);
KEYS.forEach((k, i) => BY_FIRST[k[0]].push(i));

/** The known key at p, followed by ": ", or -1. */
function keyAt(b: Uint8Array, p: number, end: number): number {
  const candidates = BY_FIRST[b[p]];
  for (let c = 0; c < candidates.length; c++) {
    const k = candidates[c];
    const key = KEYS[k];
    const n = key.length;
    if (p + n + 1 >= end || b[p + n] !== 58 || b[p + n + 1] !== 32) continue;
    let i = 1;
    while (i < n && b[p + i] === key[i]) i++;
    if (i === n) return k;
  }
  return -1;
}

/** An id as line-yaml.ts and the schema take it: quoted, or plain with a letter first and not a null or boolean word. */
function isPlainId(pairs: Pairs): boolean {
  if (pairs.quoted) {
    for (let i = pairs.from; i < pairs.to; i++) if (pairs.b[i] === 58) return false;
    return true;
  }
  const b = pairs.b;
  if (!isLetter(b[pairs.from])) return false;
  const n = pairs.to - pairs.from;
  if (n === 4 || n === 5) {
    let allLetters = true;
    for (let i = pairs.from; i < pairs.to; i++) if (!isLetter(b[i])) allLetters = false;
    if (allLetters) {
      const w = Buffer.from(b.buffer, b.byteOffset + pairs.from, n).toString('latin1').toLowerCase();
      if (w === 'null' || w === 'true' || w === 'false') return false;
    }
  }
  return true;
}

function ipOf(pairs: Pairs): number | null {
  return pairs.quoted ? null : parseIpBytes(pairs.b, pairs.from, pairs.to);
}

/** quoted (":" or "-", or none), or plain with dashes (a plain 12-digit one may be a number to YAML) */
function macOf(pairs: Pairs): number | null {
  if (!pairs.quoted) {
    if (pairs.to - pairs.from !== 17) return null;
    for (let i = pairs.from + 2; i < pairs.to; i += 3) if (pairs.b[i] !== 45) return null;
  }
  return parseMacBytes(pairs.b, pairs.from, pairs.to);
}

const pairs = new Pairs();

/** A server line's body (from its `{`) into `out`; false when it is not the strict shape. */
export function readServerLine(b: Uint8Array, from: number, to: number, out: ServerFields): boolean {
  if (!pairs.open(b, from, to)) return false;
  let seen = 0;
  out.vlan = -1;
  for (let first = true; pairs.next(first); first = false) {
    const k = pairs.key;
    const bit = 1 << k;
    if ((SERVER_KEYS & bit) === 0 || (seen & bit) !== 0) return false;
    seen |= bit;
    if (k === K_ID || k === K_CUSTOMER) {
      if (!isPlainId(pairs)) return false;
      if (k === K_ID) { out.idFrom = pairs.from; out.idTo = pairs.to; } else { out.customerFrom = pairs.from; out.customerTo = pairs.to; }
    } else if (k === K_IP || k === K_GATEWAY) {
      const ip = ipOf(pairs);
      if (ip === null) return false;
      if (k === K_IP) out.ip = ip; else out.gateway = ip;
    } else if (k === K_MAC) {
      const mac = macOf(pairs);
      if (mac === null) return false;
      out.mac = mac;
    } else {
      const vlan = pairs.quoted ? -1 : smallDecimal(b, pairs.from, pairs.to);
      if (vlan < 0 || vlan > 4095) return false;
      out.vlan = vlan;
    }
  }
  return pairs.key === -1 && (seen & SERVER_NEEDS) === SERVER_NEEDS;
}

/** A failover line's body (from its `{`) into `out`; false when it is not the strict shape. */
export function readFailoverLine(b: Uint8Array, from: number, to: number, out: FailoverFields): boolean {
  if (!pairs.open(b, from, to)) return false;
  let seen = 0;
  out.vmac = -1;
  out.muted = false;
  for (let first = true; pairs.next(first); first = false) {
    const k = pairs.key;
    const bit = 1 << k;
    if ((FAILOVER_KEYS & bit) === 0 || (seen & bit) !== 0) return false;
    seen |= bit;
    if (k === K_IP) {
      const ip = ipOf(pairs);
      if (ip === null) return false;
      out.ip = ip;
    } else if (k === K_SERVER) {
      if (!isPlainId(pairs)) return false;
      out.serverFrom = pairs.from;
      out.serverTo = pairs.to;
    } else if (k === K_VIRTUAL_MAC) {
      const mac = macOf(pairs);
      if (mac === null) return false;
      out.vmac = mac;
    } else {
      const w = pairs.quoted ? -1 : word(b, pairs.from, pairs.to);
      if (w < 0) return false;
      out.muted = w === 1;
    }
  }
  return pairs.key === -1 && (seen & FAILOVER_NEEDS) === FAILOVER_NEEDS;
}

/** "0" or 1 to 4 digits without a leading zero, as a number; -1 otherwise */
function smallDecimal(b: Uint8Array, from: number, to: number): number {
  const n = to - from;
  if (n < 1 || n > 4 || (n > 1 && b[from] === 48)) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** plain `true` 1, `false` 0, anything else -1 */
function word(b: Uint8Array, from: number, to: number): number {
  const n = to - from;
  if (n === 4 && b[from] === 116 && b[from + 1] === 114 && b[from + 2] === 117 && b[from + 3] === 101) return 1;
  if (n === 5 && b[from] === 102 && b[from + 1] === 97 && b[from + 2] === 108 && b[from + 3] === 115 && b[from + 4] === 101) return 0;
  return -1;
}
