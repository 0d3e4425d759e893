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
