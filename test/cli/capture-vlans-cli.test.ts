import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const root = process.getuid?.() === 0;

describe('arpwarden capture --vlans', () => {
  it('a list that is not VLANs: one line, exit 2, before any interface opens', async () => {
    const r = await runCli(['capture', '-i', 'no-such-if0', '--seconds', '1', '--vlans', '100-199,5000']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['arpwarden: --vlans "100-199,5000": "5000" is not a VLAN id (0-4095), a range (100-199) or "untagged"']);
  });

  it.skipIf(!root && !process.env.CI)('on the "any" device (cooked, no tags): refused in one line, exit 2', async () => {
    const r = await runCli(['capture', '-i', 'any', '--seconds', '1', '--vlans', '100']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^arpwarden: --vlans: needs an Ethernet capture \(link type (113|276) carries no VLAN tags/)]);
  });

  it.skipIf(!root && !process.env.CI)('a --filter that reads as a set of VLANs is captured as given, with a warning that says what libpcap does', async () => {
    const r = await runCli(['capture', '-i', 'lo', '--seconds', '1', '--filter', 'vlan 101 or vlan 102']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^arpwarden: --filter "vlan 101 or vlan 102": libpcap tests each "vlan" after the tags of the ones before it, even across "or", so "vlan A or vlan B" matches VLAN A only: for a set of VLANs use --vlans A,B/m);
  });
});
