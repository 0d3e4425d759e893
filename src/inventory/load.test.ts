import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_INVENTORY } from '../../test/helpers/arp.js';
import { parseIp, parseMac } from '../decode/addr.js';
import { InvalidFileError } from '../common/yaml-errors.js';
import { loadInventory, parseInventory } from './load.js';

const ip = (s: string): number => parseIp(s)!;
const hex = (n: number): string => (n & 255).toString(16).padStart(2, '0');

describe('inventory', () => {
  it('indexes every product by IP, MAC and block', () => {
    const inv = parseInventory('inv.yaml', TEST_INVENTORY);
    expect(inv.failover(ip('198.51.100.8'))?.virtualMac).toBe(parseMac('02:00:00:aa:bb:cc'));
    expect(inv.failover(ip('192.0.2.18'))?.block?.cidr).toBe('192.0.2.16/28');
    expect(inv.unsplitBlock(ip('192.0.2.5'))?.server?.id).toBe('srv-a');
    expect(inv.unsplitBlock(ip('192.0.2.20'))).toBeUndefined();
    expect(inv.portableBlock(ip('198.51.100.70'))?.gateway).toBe(ip('198.51.100.65'));
    expect(inv.isVrack(ip('100.64.3.4'))).toBe(true);
    expect(inv.isRouterMac(parseMac('00:00:5e:00:01:01')!)).toBe(true);
    expect(inv.macOwners.get(parseMac('0c:c4:7a:00:00:0b')!)?.kind).toBe('server');
    expect(inv.customers.get('c-2')?.locale).toBe('en');
    expect(inv.isRouted(ip('192.0.2.3'))).toBe(true);
    expect(inv.isRouted(ip('203.0.113.10'))).toBe(false);
  });

  const broken: [string, string, RegExp][] = [
    ['a bad MAC', TEST_INVENTORY.replace('0C-C4-7A-00-00-0B', '0C-C4-7A-00-00'), /^inv\.yaml:9: servers\[1\]\.mac: not a MAC address/],
    ['an unknown customer', TEST_INVENTORY.replace('customer: c-2, ip', 'customer: c-9, ip'), /^inv\.yaml:9: servers\[1\]\.customer: no customer "c-9"/],
    ['an unknown key', TEST_INVENTORY.replace('split: false', 'split: false, colour: red'), /^inv\.yaml:15: blocks\[0\]: unknown key "colour"/],
    ['an unknown list, empty', `${TEST_INVENTORY}colour: []\n`, /^inv\.yaml:2: \(top level\): unknown key "colour"/],
    ['a duplicate IP', TEST_INVENTORY.replace('198.51.100.9, server', '198.51.100.7, server'), /^inv\.yaml:13: failover_ips\[2\]\.ip: 198\.51\.100\.7 is already a failover IP/],
    ['a member outside its block', TEST_INVENTORY.replace('192.0.2.18', '192.0.2.40'), /not inside the block 192\.0\.2\.16\/28/],
    ['host bits in a CIDR', TEST_INVENTORY.replace('192.0.2.0/28', '192.0.2.1/28'), /^inv\.yaml:15: blocks\[0\]\.cidr: host bits set/],
    ['a virtual MAC that is a server NIC', TEST_INVENTORY.replace('02:00:00:aa:bb:cc', '0c:c4:7a:00:00:0a'), /already the MAC of server srv-a/],
    ['an unsplit block without server', TEST_INVENTORY.replace('server: srv-a, split: false', 'split: false'), /not split: it needs the "server"/],
    ['a bad locale', TEST_INVENTORY.replace('locale: fr', 'locale: english'), /^inv\.yaml:5: customers\[0\]\.locale: /],
    ['YAML that does not parse', 'servers: [ {id: 1\n', /^inv\.yaml:\d+: not valid YAML/],
    ['an IP with a leading zero', TEST_INVENTORY.replace('198.51.100.9, server', '198.51.100.09, server'), /^inv\.yaml:13: failover_ips\[2\]\.ip: not an IPv4 address: "198\.51\.100\.09"/],
    ['a line separator in a name', TEST_INVENTORY.replace('name: Example SARL', 'name: "A\\u2028B"'), /^inv\.yaml:5: customers\[0\]\.name: no control characters/],
    ['a bidirectional override in a name', TEST_INVENTORY.replace('name: Example SARL', 'name: "A\\u202eB"'), /^inv\.yaml:5: customers\[0\]\.name: no control characters/],
    ['an anchor', TEST_INVENTORY.replace('locale: fr', 'locale: &l fr'), /^inv\.yaml:5: YAML anchor &l: /],
    ['two documents', `${TEST_INVENTORY}\n---\n${TEST_INVENTORY}`, /^inv\.yaml:\d+: a second YAML document/],
    // who holds an IP or a MAC already, named from the index's rows
    ['a failover IP that is a server\'s main IP', TEST_INVENTORY.replace('198.51.100.9, server', '203.0.113.11, server'),
      /^inv\.yaml:13: failover_ips\[2\]\.ip: 203\.0\.113\.11 is already the main IP of server srv-b$/],
    ['a split block\'s member twice', TEST_INVENTORY.replace('{ ip: 192.0.2.18, server: srv-b } ]', '{ ip: 192.0.2.18, server: srv-b }, { ip: 192.0.2.18, server: srv-a } ]'),
      /^inv\.yaml:16: blocks\[1\]\.members\[1\]\.ip: 192\.0\.2\.18 is already a member of block 192\.0\.2\.16\/28$/],
    ['a virtual MAC twice', TEST_INVENTORY.replace('{ ip: 198.51.100.9, server: srv-b }', '{ ip: 198.51.100.9, server: srv-b, virtual_mac: "02:00:00:aa:bb:cc" }'),
      /^inv\.yaml:13: failover_ips\[2\]\.virtual_mac: 02:00:00:aa:bb:cc is already the MAC of the virtual MAC of 198\.51\.100\.8, cannot also be the virtual MAC of 198\.51\.100\.9$/],
    ['a router\'s zero MAC', TEST_INVENTORY.replace('"00:00:5e:00:01:01"', '"00:00:00:00:00:00"'),
      /^inv\.yaml:3: routers\[0\]\.mac: 00:00:00:00:00:00 is no NIC's MAC: the router needs its real one(?: \(and \d+ more|$)/],
    ['a multicast virtual MAC', TEST_INVENTORY.replace('02:00:00:aa:bb:cc', '01:00:5e:00:00:01'),
      /^inv\.yaml:12: failover_ips\[1\]\.virtual_mac: 01:00:5e:00:00:01 is a multicast MAC, not one NIC's: the virtual MAC of 198\.51\.100\.8 needs a unicast MAC$/],
    ['a server defined twice', TEST_INVENTORY.replace('id: srv-b,', 'id: srv-a,'), /^inv\.yaml:9: servers\[1\]\.id: server "srv-a" is defined twice(?: \(and \d+ more|$)/],
    ['a server\'s MAC that is a router\'s', TEST_INVENTORY.replace('0C-C4-7A-00-00-0B', '00:00:5e:00:01:01'),
      /^inv\.yaml:9: servers\[1\]\.mac: 00:00:5e:00:01:01 is already the MAC of router 203\.0\.113\.254, cannot also be server srv-b$/],
  ];
  it.each(broken)('refuses %s with the file, line and reason', (_what, text, message) => {
    expect(() => parseInventory('inv.yaml', text)).toThrow(message);
  });

  // the contradictions of issue 9: each named with file, line and both parties
  const contradictions: [string, string, RegExp][] = [
    ['an empty file', '', /^inv\.yaml: the inventory is empty/],
    ['a comment-only file', '# truncated at deploy\n\n# nothing else\n', /^inv\.yaml: the inventory is empty/],
    ['lists but no server', 'routers: []\ncustomers: []\n', /^inv\.yaml:1: servers: no server: an inventory lists at least one/],
    ['overlapping RIPE blocks', TEST_INVENTORY.replace('192.0.2.16/28, split', '192.0.2.0/27, split'),
      /^inv\.yaml:16: blocks\[1\]: split block 192\.0\.2\.0\/27 overlaps block 192\.0\.2\.0\/28 of server srv-a \(block 192\.0\.2\.0\/28: line 15\)$/],
    ['a portable block inside a RIPE block', TEST_INVENTORY.replace('198.51.100.64/29', '192.0.2.8/29'),
      /^inv\.yaml:18: portable_blocks\[0\]: portable block 192\.0\.2\.8\/29 of customer c-2 overlaps block 192\.0\.2\.0\/28 of server srv-a/],
    ['a failover IP in another server\'s unsplit block', TEST_INVENTORY.replace('198.51.100.9, server: srv-b', '192.0.2.3, server: srv-b'),
      /^inv\.yaml:13: failover_ips\[2\]\.ip: 192\.0\.2\.3 is in block 192\.0\.2\.0\/28 of server srv-a and is also a failover IP of srv-b \(block 192\.0\.2\.0\/28: line 15\)$/],
    ['a failover IP inside a vRack range', TEST_INVENTORY.replace('198.51.100.9, server', '100.64.9.9, server'),
      /^inv\.yaml:13: failover_ips\[2\]\.ip: 100\.64\.9\.9 is a failover IP of srv-b and is also inside vRack range 100\.64\.0\.0\/10/],
    ['a failover IP inside a portable block', TEST_INVENTORY.replace('198.51.100.9, server', '198.51.100.66, server'),
      /^inv\.yaml:13: failover_ips\[2\]\.ip: 198\.51\.100\.66 is a failover IP of srv-b and is also inside portable block 198\.51\.100\.64\/29 of customer c-2$/],
    ['a gateway that is no router', TEST_INVENTORY.replace('mac: 0C-C4-7A-00-00-0B, gateway: 203.0.113.254', 'mac: 0C-C4-7A-00-00-0B, gateway: 203.0.113.1'),
      /^inv\.yaml:9: servers\[1\]\.gateway: 203\.0\.113\.1, the gateway of server srv-b, is no router in routers/],
    ['a broadcast server MAC', TEST_INVENTORY.replace('0C-C4-7A-00-00-0B', 'ff:ff:ff:ff:ff:ff'),
      /^inv\.yaml:9: servers\[1\]\.mac: ff:ff:ff:ff:ff:ff is the broadcast MAC, not one NIC's: the server srv-b needs a unicast MAC$/],
    ['a multicast virtual MAC', TEST_INVENTORY.replace('02:00:00:aa:bb:cc', '01:00:5e:00:00:01'),
      /^inv\.yaml:12: failover_ips\[1\]\.virtual_mac: 01:00:5e:00:00:01 is a multicast MAC, not one NIC's/],
    ['a multicast split-block member\'s virtual MAC', TEST_INVENTORY.replace('{ ip: 192.0.2.18, server: srv-b }', '{ ip: 192.0.2.18, server: srv-b, virtual_mac: "33:33:00:00:00:01" }'),
      /^inv\.yaml:16: blocks\[1\]\.members\[0\]\.virtual_mac: 33:33:00:00:00:01 is a multicast MAC/],
    ['a customer id with CR LF', TEST_INVENTORY.replace('id: c-2,', 'id: "c-2\\r\\nBcc: x@example.org",'),
      /^inv\.yaml:6: customers\[1\]\.id: an id is letters, digits, "\.", "_" and "-" only/],
    ['a server id with a space', TEST_INVENTORY.replace('id: srv-b,', 'id: "srv b",'), /^inv\.yaml:9: servers\[1\]\.id: an id is letters/],
    ['a name with a control character', TEST_INVENTORY.replace('name: Example SARL', 'name: "Example\\tSARL"'),
      /^inv\.yaml:5: customers\[0\]\.name: no control characters/],
    ['a VLAN out of range, in our words', TEST_INVENTORY.replace('vlan: 100 }\n  - { id: srv-b', 'vlan: 5000 }\n  - { id: srv-b'),
      /^inv\.yaml:8: servers\[0\]\.vlan: 5000 is too large: at most 4095$/],
    ['a wrong type, in our words', TEST_INVENTORY.replace('locale: fr', 'locale: fr, muted: sometimes'),
      /^inv\.yaml:5: customers\[0\]\.muted: expected true or false, not "sometimes"$/],
  ];
  it.each(contradictions)('refuses %s, naming file, line and both parties', (_what, text, message) => {
    expect(() => parseInventory('inv.yaml', text)).toThrow(message);
  });

  it.each([...broken, ...contradictions])('loadInventory of a file says the same of %s', (_what, text) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arpwarden-load-'));
    try {
      const f = path.join(dir, 'inv.yaml');
      fs.writeFileSync(f, text);
      let usual: unknown;
      try { parseInventory(f, text); } catch (e) { usual = e; }
      expect(usual).toBeInstanceOf(Error);
      expect(() => loadInventory(f)).toThrow((usual as Error).message);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports every problem, in line order, and a broken entry is not reported again where it is referred to', () => {
    const text = TEST_INVENTORY
      .replace('0C-C4-7A-00-00-0B', '0C-C4-7A-00-00') // srv-b: bad MAC (its failover IPs refer to it)
      .replace('vlan: 100 }\n  - { id: srv-b', 'vlan: 9999 }\n  - { id: srv-b') // srv-a: zod issue
      .replace('customer: c-2, vlan: 100', 'customer: c-9, vlan: 100'); // unknown customer
    let err: unknown;
    try { parseInventory('inv.yaml', text); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InvalidFileError);
    const problems = (err as InvalidFileError).problems;
    expect(problems).toEqual([
      'inv.yaml:8: servers[0].vlan: 9999 is too large: at most 4095',
      'inv.yaml:9: servers[1].mac: not a MAC address: "0C-C4-7A-00-00" (six hex bytes, ":" or "-" separated)',
      'inv.yaml:18: portable_blocks[0].customer: no customer "c-9" in customers',
    ]);
    expect((err as Error).message).toBe(`${problems[0]} (and 2 more: arpwarden inventory check inv.yaml lists them)`);
    expect((err as Error).message).not.toMatch(/Invalid input|Too big/);
  });

  it('builds 100,000 servers and 200,000 failover IPs into O(1) lookups', () => {
    const lines = ['routers:', '  - { ip: 100.127.255.254, mac: "00:00:5e:00:01:01" }', 'customers:', '  - { id: c, email: ops@example.net }', 'servers:'];
    for (let i = 0; i < 100_000; i++) lines.push(`  - { id: s${i}, customer: c, ip: 100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}, mac: "0c:c4:7a:${hex(i >> 16)}:${hex(i >> 8)}:${hex(i)}", gateway: 100.127.255.254 }`);
    lines.push('failover_ips:');
    for (let i = 0; i < 200_000; i++) lines.push(`  - { ip: 198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}, server: s${i % 100_000} }`);
    const inv = parseInventory('big.yaml', lines.join('\n'));
    expect(inv.servers.size).toBe(100_000);
    expect(inv.failovers.size).toBe(200_000);
    const t0 = performance.now();
    let found = 0;
    for (let i = 0; i < 200_000; i++) if (inv.failover(ip(`198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`)) !== undefined) found++;
    expect(found).toBe(200_000);
    expect(performance.now() - t0).toBeLessThan(2000);
  }, 120_000);
});
