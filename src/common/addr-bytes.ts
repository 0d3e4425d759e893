/**
 * parseIp and parseMac (addr.ts) over bytes of a file read as a Buffer (ASCII), [from, to): the same rules, so that
 * an inventory's 300,000 addresses are parsed without a string each. addr-bytes.test.ts pins them against addr.ts.
 */

const TWO_POW_32 = 4294967296;

export function parseIpBytes(b: Uint8Array, from: number, to: number): number | null {
  let ip = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = b[i];
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

/** Twelve hex digits, or six pairs each after a ":" or "-"; unlike parseMac, no surrounding spaces (the caller has none). */
export function parseMacBytes(b: Uint8Array, from: number, to: number): number | null {
  const n = to - from;
  const sep = n === 17;
  if (!sep && n !== 12) return null;
  let hi = 0;
  let lo = 0;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = b[from + i];
    if (sep && i % 3 === 2) {
      if (c !== 58 && c !== 45) return null;
      continue;
    }
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return null;
    if (digits < 4) hi = hi * 16 + d;
    else lo = lo * 16 + d;
    digits++;
  }
  return hi * TWO_POW_32 + lo;
}
