import { describe, expect, it } from 'vitest';
import type { BlockValues } from '../job.js';
import { freeAddress } from './free-address.js';

const BLOCK: BlockValues = {
  cidr: '198.51.100.64/29', network: '198.51.100.64', broadcast: '198.51.100.71', netmask: '255.255.255.248', split: false,
  firstUsable: '198.51.100.66', lastUsable: '198.51.100.70',
};
const withInUse = (...inUse: string[]): BlockValues => ({ ...BLOCK, inUse });

describe('freeAddress: the address a portable block\'s email suggests', () => {
  it('the first usable address when none was seen in use', () => {
    expect(freeAddress(withInUse())).toBe('198.51.100.66');
  });

  it('skips the addresses seen in use, given in any order', () => {
    expect(freeAddress(withInUse('198.51.100.66', '198.51.100.67'))).toBe('198.51.100.68');
    expect(freeAddress(withInUse('198.51.100.67', '198.51.100.66', '198.51.100.69'))).toBe('198.51.100.68');
    expect(freeAddress(withInUse('198.51.100.67'))).toBe('198.51.100.66');
  });

  it('null when every usable address was seen in use', () => {
    expect(freeAddress(withInUse('198.51.100.70', '198.51.100.69', '198.51.100.68', '198.51.100.67', '198.51.100.66'))).toBeNull();
  });

  it('across an octet: 192.0.2.255 in use in a /23 gives 192.0.3.0', () => {
    const b: BlockValues = { ...BLOCK, cidr: '192.0.2.0/23', firstUsable: '192.0.2.2', lastUsable: '192.0.3.254', inUse: ['192.0.2.255', ...Array.from({ length: 253 }, (_, i) => `192.0.2.${i + 2}`)] };
    expect(freeAddress(b)).toBe('192.0.3.0');
  });

  it('a job queued before the addresses in use were carried: the first usable address, as before', () => {
    expect(freeAddress(BLOCK)).toBe('198.51.100.66');
  });
});
