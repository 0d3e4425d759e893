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
  const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/.exec(s);
  if (!m) return null;
  let ip = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return null;
    ip = ip * 256 + octet;
  }
  return ip;
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
  const hex = s.trim().toLowerCase().replace(/[:-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return null;
  if (/[:-]/.test(s) && !/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/.test(s.trim())) return null;
  return parseInt(hex.slice(0, 4), 16) * TWO_POW_32 + parseInt(hex.slice(4), 16);
}

export const BROADCAST_MAC = 0xffff * TWO_POW_32 + 0xffffffff;
