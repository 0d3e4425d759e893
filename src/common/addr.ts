import { UserError } from './user-error.js';

/** Address conversions between the pipeline's numbers and the strings people read and write.
 * Only for printing and for loading configuration: never on the per-packet path. */

const TWO_POW_32 = 4294967296;

export function ipToString(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/**
 * Parses dotted-quad IPv4 strictly: four decimal octets 0-255, no leading zero (`010` is 8 to
 * inet_aton and 10 to a reader: refused, not guessed), no spaces; null when it is not one.
 */
export function parseIp(s: string): number | null {
  // by character codes, not a regex's match array: an inventory parses 300,000 of them
  let ip = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 3 || (digits === 1 && octet === 0)) return null;
      octet = octet * 10 + (c - 48);
      digits++;
    } else if (c === 46 && digits > 0 && dots < 3 && octet <= 255) {
      ip = ip * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return null;
    }
  }
  return dots === 3 && digits > 0 && octet <= 255 ? ip * 256 + octet : null;
}

/**
 * An IP given on the command line (mute, explain...): the number, or a UserError in one line (`what` starts it:
 * "ip"). An address written with leading zeros is named with the form to write instead.
 */
export function ipArgument(text: string, what = ''): number {
  const ip = parseIp(text);
  if (ip !== null) return ip;
  const unpadded = text.trim().split('.').map((o) => (/^\d+$/.test(o) ? String(Number(o)) : o)).join('.');
  const hint = unpadded !== text && parseIp(unpadded) !== null ? ` (no leading zeros or spaces: write ${unpadded} if that is the one meant)` : '';
  throw new UserError(`${what === '' ? '' : `${what} `}${JSON.stringify(text).slice(1, -1)}: not an IPv4 address${hint}`);
}

const HEX = '0123456789abcdef';

export function macToString(mac: number): string {
  const hi = Math.floor(mac / TWO_POW_32);
  const lo = mac >>> 0;
  const bytes = [hi >>> 8, hi & 255, lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255];
  return bytes.map((b) => HEX[b >>> 4] + HEX[b & 15]).join(':');
}

/** Parses a MAC written with ':' or '-' (or none), any case; null when it is not one. */
export function parseMac(s: string): number | null {
  // twelve hex digits, or six pairs each after a ":" or "-" (either, mixed): by character codes, no intermediate strings
  const t = s.trim();
  const sep = t.length === 17;
  if (!sep && t.length !== 12) return null;
  let hi = 0;
  let lo = 0;
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (sep && i % 3 === 2) {
      if (c !== 58 && c !== 45) return null;
      continue;
    }
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return null;
    if (n < 4) hi = hi * 16 + d;
    else lo = lo * 16 + d;
    n++;
  }
  return hi * TWO_POW_32 + lo;
}

export const BROADCAST_MAC = 0xffff * TWO_POW_32 + 0xffffffff;
