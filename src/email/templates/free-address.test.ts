import { describe, expect, it } from 'vitest';
import type { BlockValues } from '../job.js';
import { freeAddresses } from './free-address.js';

const BLOCK: BlockValues = {
  cidr: '198.51.100.64/29', network: '198.51.100.64', broadcast: '198.51.100.71', netmask: '255.255.255.248', split: false,
  firstUsable: '198.51.100.66', lastUsable: '198.51.100.70',
};
const withInUse = (...inUse: string[]): BlockValues => ({ ...BLOCK, inUse });

describe('freeAddresses: the addresses a portable block\'s email suggests', () => {
  it('from the first usable address when none was seen in use', () => {
    expect(freeAddresses(withInUse(), 1)).toEqual(['198.51.100.66']);
    expect(freeAddresses(withInUse(), 2)).toEqual(['198.51.100.66', '198.51.100.67']);
  });

  it('skips the addresses seen in use, given in any order', () => {
    expect(freeAddresses(withInUse('198.51.100.66', '198.51.100.67'), 1)).toEqual(['198.51.100.68']);
    expect(freeAddresses(withInUse('198.51.100.67', '198.51.100.66', '198.51.100.69'), 2)).toEqual(['198.51.100.68', '198.51.100.70']);
    expect(freeAddresses(withInUse('198.51.100.67'), 2)).toEqual(['198.51.100.66', '198.51.100.68']);
  });

  it('fewer than asked, or none, when fewer were not seen in use', () => {
    const all = ['198.51.100.70', '198.51.100.69', '198.51.100.68', '198.51.100.67', '198.51.100.66'];
    expect(freeAddresses(withInUse(...all), 1)).toEqual([]);
    expect(freeAddresses(withInUse(...all.slice(1)), 3)).toEqual(['198.51.100.70']);
  });

  it('across an octet: 192.0.2.2 to 192.0.2.255 in use in a /23 gives 192.0.3.0', () => {
    const b: BlockValues = { ...BLOCK, cidr: '192.0.2.0/23', firstUsable: '192.0.2.2', lastUsable: '192.0.3.254', inUse: ['192.0.2.255', ...Array.from({ length: 253 }, (_, i) => `192.0.2.${i + 2}`)] };
    expect(freeAddresses(b, 1)).toEqual(['192.0.3.0']);
  });

  it('a job queued before the addresses in use were carried: from the first usable address, as before', () => {
    expect(freeAddresses(BLOCK, 1)).toEqual(['198.51.100.66']);
  });

  it('from the last usable address down (the gateway\'s email, a job apart: not the address the others are given)', () => {
    expect(freeAddresses(withInUse('198.51.100.66', '198.51.100.67'), 1, true)).toEqual(['198.51.100.70']);
    expect(freeAddresses(withInUse('198.51.100.70'), 2, true)).toEqual(['198.51.100.69', '198.51.100.68']);
    expect(freeAddresses(withInUse('198.51.100.66', '198.51.100.67', '198.51.100.68', '198.51.100.69', '198.51.100.70'), 1, true)).toEqual([]);
  });
});
