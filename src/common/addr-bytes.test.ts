import { describe, expect, it } from 'vitest';
import { parseIp, parseMac } from './addr.js';
import { parseIpBytes, parseMacBytes } from './addr-bytes.js';

/** a small deterministic generator (no Math.random: a failure reproduces) */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

const bytes = (s: string): Buffer => Buffer.from(`xx${s}yy`, 'latin1');

describe('addresses parsed from bytes', () => {
  it('parse exactly what parseIp and parseMac parse, to the same numbers', () => {
    const r = lcg(20261202);
    const pick = (chars: string): string => chars[Math.floor(r() * chars.length)];
    const fixed = ['0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..2.3', '', '0c:c4:7a:00:00:0b', '0C-C4-7A-00-00-0B',
      '0cc47a00000b', '0c:c4:7a:00:00', 'gg:c4:7a:00:00:0b', '0c:c4-7a:00:00:0b', '0c.c4.7a.00.00.0b'];
    const samples = [...fixed];
    for (let k = 0; k < 60000; k++) {
      const len = 1 + Math.floor(r() * 18);
      let s = '';
      for (let i = 0; i < len; i++) s += k % 2 === 0 ? pick('0123456789.') : pick('0123456789abcdefABCDEFg:-');
      samples.push(s);
    }
    for (const s of samples) {
      const b = bytes(s);
      expect(parseIpBytes(b, 2, 2 + s.length), s).toBe(parseIp(s));
      expect(parseMacBytes(b, 2, 2 + s.length), s).toBe(parseMac(s));
    }
  });
});
