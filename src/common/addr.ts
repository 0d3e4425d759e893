/** Address conversions between the pipeline's numbers and the strings people read and write.
 * Only for printing and for loading configuration: never on the per-packet path. */

const TWO_POW_32 = 4294967296;

export function ipToString(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** Parses dotted-quad IPv4; null when it is not one. */
export function parseIp(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return null;
  let ip = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return null;
    ip = ip * 256 + octet;
  }
  return ip;
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
