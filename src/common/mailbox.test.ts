import { describe, expect, it } from 'vitest';
import { parseMailbox } from './mailbox.js';

describe('parseMailbox', () => {
  it('accepts a bare address and a name-addr, and gives the domain', () => {
    expect(parseMailbox('noc@provider.example')).toEqual({ name: null, address: 'noc@provider.example', domain: 'provider.example' });
    expect(parseMailbox('Our NOC <noc@provider.example>')).toEqual({ name: 'Our NOC', address: 'noc@provider.example', domain: 'provider.example' });
    expect(parseMailbox('"NOC, Réseau" <noc+arp@Mail.Provider.Example>')).toEqual({ name: 'NOC, Réseau', address: 'noc+arp@Mail.Provider.Example', domain: 'mail.provider.example' });
    expect(parseMailbox('Example Hosting N.O.C. <noc@example.net>')?.name).toBe('Example Hosting N.O.C.');
    expect(parseMailbox('<noc@example.net>')).toEqual({ name: null, address: 'noc@example.net', domain: 'example.net' });
  });
  it('refuses a name alone, a dotless domain, two addresses, an unquoted comma or angle bracket', () => {
    for (const s of ['Our NOC', 'noc', 'noc@localhost', 'noc@arpwarden', 'a@b.example, c@d.example', 'NOC, Réseau <noc@example.net>', 'NOC <noc@example.net', 'N<O>C <noc@example.net>', 'noc@@example.net', 'no c@example.net', '.noc@example.net', 'noc@-example.net', ''])
      expect(parseMailbox(s), s).toBeNull();
  });
});
