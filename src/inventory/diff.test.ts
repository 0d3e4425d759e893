import { describe, expect, it } from 'vitest';
import { TEST_INVENTORY } from '../../test/helpers/arp.js';
import { diffInventories, isEmptyDiff, reloadSummary, removedPercent } from './diff.js';
import { parseInventory } from './load.js';

const old = parseInventory('old.yaml', TEST_INVENTORY);

describe('diffInventories', () => {
  it('finds nothing between an inventory and itself', () => {
    const d = diffInventories(old, parseInventory('same.yaml', TEST_INVENTORY));
    expect(isEmptyDiff(d)).toBe(true);
    expect(d.customerIps).toEqual({ before: 6, after: 6, added: 0, removed: 0 });
    expect(reloadSummary(d)).toBe('customers +0 -0, servers +0 -0, IPs +0 -0');
    expect(removedPercent(d)).toBe(0);
  });

  it('names what is added, removed and changed in each list', () => {
    const next = parseInventory('new.yaml', TEST_INVENTORY
      .replace('  - { id: c-2, email: noc@example.com }', '  - { id: c-2, email: noc@example.org }\n  - { id: c-3, email: c3@example.net }')
      .replace('ip: 203.0.113.11, mac: 0C-C4-7A-00-00-0B, gateway: 203.0.113.254 }', 'ip: 203.0.113.11, mac: 0C-C4-7A-00-00-0B, gateway: 203.0.113.254, vlan: 7 }')
      .replace('  - { ip: 198.51.100.9, server: srv-b }', '  - { ip: 198.51.100.10, server: srv-b }')
      .replace('{ ip: 198.51.100.8, server: srv-a, virtual_mac: "02:00:00:aa:bb:cc" }', '{ ip: 198.51.100.8, server: srv-b }')
      .replace('  - { cidr: 198.51.100.64/29, customer: c-2, vlan: 100 }', '  - { cidr: 198.51.100.64/29, customer: c-3, vlan: 100 }')
      .replace('  - 100.64.0.0/10', '  - 10.0.0.0/8'));
    const d = diffInventories(old, next);
    expect(d.customers).toEqual({ added: ['c-3'], removed: [], changed: [{ key: 'c-2', fields: ['email noc@example.com -> noc@example.org'] }] });
    expect(d.servers).toEqual({ added: [], removed: [], changed: [{ key: 'srv-b', fields: ['vlan none -> 7'] }] });
    expect(d.failoverIps).toEqual({
      added: ['198.51.100.10'], removed: ['198.51.100.9'],
      changed: [{ key: '198.51.100.8', fields: ['server srv-a -> srv-b', 'virtual_mac 02:00:00:aa:bb:cc -> none'] }],
    });
    expect(d.portableBlocks.changed).toEqual([{ key: '198.51.100.64/29', fields: ['customer c-2 -> c-3'] }]);
    expect(d.vrack).toEqual({ added: ['10.0.0.0/8'], removed: ['100.64.0.0/10'], changed: [] });
    expect(d.blocks).toEqual({ added: [], removed: [], changed: [] });
    expect(d.customerIps).toEqual({ before: 6, after: 6, added: 1, removed: 1 });
    expect(reloadSummary(d)).toBe('customers +1 -0, servers +0 -0, IPs +1 -1');
  });

  it('counts the customer IPs a reload removes: servers\' main IPs and failover IPs, block members too', () => {
    const next = parseInventory('new.yaml', TEST_INVENTORY
      .replace('  - { id: srv-b, customer: c-2, ip: 203.0.113.11, mac: 0C-C4-7A-00-00-0B, gateway: 203.0.113.254 }\n', '')
      .replace('  - { ip: 198.51.100.9, server: srv-b }\n', '')
      .replace('  - { cidr: 192.0.2.16/28, split: true, members: [ { ip: 192.0.2.18, server: srv-b } ] }\n', ''));
    const d = diffInventories(old, next);
    expect(d.servers.removed).toEqual(['srv-b']);
    expect(d.blocks.removed).toEqual(['192.0.2.16/28']);
    expect(d.customerIps).toEqual({ before: 6, after: 3, added: 0, removed: 3 });
    expect(removedPercent(d)).toBe(50);
  });
});
