import { describe, expect, it } from 'vitest';
import { ipToString, macToString, parseIp, parseMac } from './addr.js';

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
