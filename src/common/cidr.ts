import { ipToString, parseIp } from './addr.js';

export interface Cidr { network: number; prefix: number; mask: number; broadcast: number }

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses "a.b.c.d/len" with the host bits zero; a string saying what is wrong otherwise. */
export function parseCidr(s: string): Cidr | string {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return `not a CIDR block (a.b.c.d/len): "${s}"`;
  const ip = parseIp(m[1]);
  const prefix = Number(m[2]);
  if (ip === null) return `not an IPv4 address: "${m[1]}"`;
  if (prefix > 32) return `prefix length over 32: "${s}"`;
  const mask = maskOf(prefix);
  if (((ip & mask) >>> 0) !== ip) return `host bits set: "${s}" (the network is ${ipToString((ip & mask) >>> 0)}/${prefix})`;
  return { network: ip, prefix, mask, broadcast: (ip | ~mask) >>> 0 };
}

export function contains(c: Cidr, ip: number): boolean {
  // compared as int32 (the same bits): a uint32 above 2^31 is a boxed number wherever this runs unoptimized
  return (ip & c.mask) === (c.network | 0);
}
