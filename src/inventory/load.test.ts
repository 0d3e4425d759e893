import { describe, expect, it } from 'vitest';
import { TEST_INVENTORY } from '../../test/helpers/arp.js';
import { parseIp, parseMac } from '../decode/addr.js';
import { parseInventory } from './load.js';

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
    ['a duplicate IP', TEST_INVENTORY.replace('198.51.100.9, server', '198.51.100.7, server'), /^inv\.yaml:13: failover_ips\[2\]\.ip: 198\.51\.100\.7 is already a failover IP/],
    ['a member outside its block', TEST_INVENTORY.replace('192.0.2.18', '192.0.2.40'), /not inside the block 192\.0\.2\.16\/28/],
    ['host bits in a CIDR', TEST_INVENTORY.replace('192.0.2.0/28', '192.0.2.1/28'), /^inv\.yaml:15: blocks\[0\]\.cidr: host bits set/],
    ['a virtual MAC that is a server NIC', TEST_INVENTORY.replace('02:00:00:aa:bb:cc', '0c:c4:7a:00:00:0a'), /already the MAC of server srv-a/],
    ['an unsplit block without server', TEST_INVENTORY.replace('server: srv-a, split: false', 'split: false'), /not split: it needs the "server"/],
    ['a bad locale', TEST_INVENTORY.replace('locale: fr', 'locale: de'), /^inv\.yaml:5: customers\[0\]\.locale: /],
    ['YAML that does not parse', 'servers: [ {id: 1\n', /^inv\.yaml:\d+: not valid YAML/],
  ];
  it.each(broken)('refuses %s with the file, line and reason', (_what, text, message) => {
    expect(() => parseInventory('inv.yaml', text)).toThrow(message);
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
