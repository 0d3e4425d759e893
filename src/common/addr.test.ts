import { describe, expect, it } from 'vitest';
import { ipArgument, ipToString, macToString, parseIp, parseMac } from './addr.js';
import { UserError } from './user-error.js';

describe('addresses', () => {
  it('round-trips IPs and MACs through their numbers', () => {
    expect(ipToString(parseIp('203.0.113.254')!)).toBe('203.0.113.254');
    expect(parseIp('255.255.255.255')).toBe(0xffffffff);
    expect(macToString(parseMac('0C-C4-7A-11-22-33')!)).toBe('0c:c4:7a:11:22:33');
    expect(macToString(parseMac('ff:ff:ff:ff:ff:ff')!)).toBe('ff:ff:ff:ff:ff:ff');
    expect(parseMac('00:00:5e:00:01:01')).toBe(0x00005e000101);
  });

  it('rejects what is not an address', () => {
    expect(parseIp('256.0.0.1')).toBeNull();
    expect(parseIp('1.2.3')).toBeNull();
    expect(parseMac('0c:c4:7a:11:22')).toBeNull();
    expect(parseMac('0c:c4:7a:11:22:zz')).toBeNull();
    expect(parseMac('0cc:4:7a:11:22:33')).toBeNull();
  });
});

describe('IPs as people write them: strict, one form', () => {
  it('refuses leading zeros, spaces and what is not four octets', () => {
    for (const s of ['198.51.100.07', '010.0.0.1', '1.2.3.00', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.4\n', '1.2.3', '1.2.3.4.5', '0x1.2.3.4', '+1.2.3.4', '１.2.3.4']) expect([s, parseIp(s)]).toEqual([s, null]);
    expect(parseIp('0.0.0.0')).toBe(0);
    expect(parseIp('198.51.100.7')).toBe(0xc6336407);
    expect(parseIp('10.0.100.200')).toBe(0x0a0064c8);
  });

  it('ipArgument: the number, or one line naming the text and the form meant', () => {
    expect(ipArgument('198.51.100.7', 'ip')).toBe(0xc6336407);
    expect(() => ipArgument('198.51.100.07', 'ip')).toThrow(new UserError('ip 198.51.100.07: not an IPv4 address (no leading zeros or spaces: write 198.51.100.7 if that is the one meant)'));
    expect(() => ipArgument('198.51.100.300')).toThrow(new UserError('198.51.100.300: not an IPv4 address'));
    expect(() => ipArgument('1.2.3.4\u001b[2J', 'ip')).toThrow(new UserError('ip 1.2.3.4\\u001b[2J: not an IPv4 address'));
  });
});

describe('the parsers by character codes read exactly what the regexes before them read', () => {
  // the implementations before (regexes), as the reference
  const ipBefore = (s: string): number | null => {
    const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/.exec(s);
    if (!m) return null;
    let ip = 0;
    for (let i = 1; i <= 4; i++) {
      const octet = Number(m[i]);
      if (octet > 255) return null;
      ip = ip * 256 + octet;
    }
    return ip;
  };
  const macBefore = (s: string): number | null => {
    const hex = s.trim().toLowerCase().replace(/[:-]/g, '');
    if (!/^[0-9a-f]{12}$/.test(hex)) return null;
    if (/[:-]/.test(s) && !/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/.test(s.trim())) return null;
    return parseInt(hex.slice(0, 4), 16) * 2 ** 32 + parseInt(hex.slice(4), 16);
  };
  // a seeded generator: strings near the valid forms, so most of the edge cases are reached
  let seed = 12345;
  const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
  const pick = (alphabet: string, len: number): string => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');

  it('IPs: 50,000 strings of digits and dots, and the edges', () => {
    const cases = ['0.0.0.0', '255.255.255.255', '256.1.1.1', '1.1.1.256', '00.1.1.1', '1..1.1', '.1.1.1', '1.1.1.', '999.1.1.1', '1.2.3.4', ''];
    for (let i = 0; i < 50_000; i++) cases.push(pick('0123456789.', 1 + rnd(16)));
    for (let i = 0; i < 20_000; i++) cases.push([rnd(300), rnd(300), rnd(300), rnd(300)].map((o) => (rnd(20) === 0 ? `0${o}` : String(o))).join('.'));
    for (const s of cases) expect([s, parseIp(s)]).toEqual([s, ipBefore(s)]);
  });

  it('MACs: 50,000 strings of hex digits and separators, and the edges', () => {
    const cases = ['0c:c4:7a:11:22:33', '0C-C4-7A-11-22-33', '0c:c4-7a:11-22:33', '0cc47a112233', ' 0cc47a112233 ', '0c:c4:7a:11:22:33\n', 'ff:ff:ff:ff:ff:ff', '', '0c::c4:7a:11:22:3'];
    for (let i = 0; i < 50_000; i++) cases.push(pick('0123456789abcdefABCDEFg:- ', 10 + rnd(10)));
    for (let i = 0; i < 20_000; i++) cases.push(Array.from({ length: 6 }, () => pick('0123456789abcdefABCDEF', 2)).join(pick(':-', 1)));
    for (let i = 0; i < 5_000; i++) cases.push(pick('0123456789abcdefABCDEF', 12));
    for (const s of cases) expect([s, parseMac(s)]).toEqual([s, macBefore(s)]);
  });
});
