import { describe, expect, it } from 'vitest';
import { parseCidr, type Cidr } from '../common/cidr.js';
import { parseIp } from '../decode/addr.js';
import { PrefixTable } from './prefix-table.js';

const cidr = (s: string): Cidr => parseCidr(s) as Cidr;
const ip = (s: string): number => parseIp(s)!;

describe('PrefixTable', () => {
  it('finds the longest block holding an address', () => {
    const t = new PrefixTable<string>();
    t.add(cidr('192.0.2.0/24'), 'wide');
    t.add(cidr('192.0.2.16/28'), 'narrow');
    expect(t.lookup(ip('192.0.2.18'))).toBe('narrow');
    expect(t.lookup(ip('192.0.2.40'))).toBe('wide');
    expect(t.lookup(ip('198.51.100.1'))).toBeUndefined();
  });

  it('handles /0 and /32', () => {
    const t = new PrefixTable<number>();
    t.add(cidr('0.0.0.0/0'), 0);
    t.add(cidr('203.0.113.7/32'), 32);
    expect(t.lookup(ip('203.0.113.7'))).toBe(32);
    expect(t.lookup(ip('203.0.113.8'))).toBe(0);
  });

  it('looks up 100,000 blocks without slowing down', () => {
    const t = new PrefixTable<number>();
    for (let i = 0; i < 100_000; i++) t.add(cidr(`${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/28`), i);
    expect(t.size).toBe(100_000);
    expect(t.lookup(ip('100.1.2.9'))).toBe(258);
    expect(t.lookup(ip('100.1.2.16'))).toBeUndefined();
  });
});

describe('parseCidr', () => {
  it('rejects host bits and bad prefixes with the reason', () => {
    expect(parseCidr('192.0.2.1/28')).toMatch(/host bits set.*192\.0\.2\.0\/28/);
    expect(parseCidr('192.0.2.0/33')).toMatch(/prefix length over 32/);
    expect(parseCidr('192.0.2.0')).toMatch(/not a CIDR/);
    expect(cidr('192.0.2.16/28').broadcast).toBe(ip('192.0.2.31'));
  });
});
