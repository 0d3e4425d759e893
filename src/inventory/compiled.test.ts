import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEST_INVENTORY } from '../../test/helpers/arp.js';
import { parseIp, parseMac } from '../decode/addr.js';
import { buildInSlices, buildInventory, compileInventory, compiledBuffers } from './compiled.js';
import { diffInventories, isEmptyDiff } from './diff.js';
import { parseInventory } from './load.js';

describe('the compiled inventory (what a reload\'s worker sends)', () => {
  it.each([
    ['the tests\' inventory', TEST_INVENTORY],
    ['the fixtures\' inventory', fs.readFileSync('fixtures/inventory.yaml', 'utf8')],
  ])('%s: built again, the same index (no difference, the same lookups)', (_what, text) => {
    const inv = parseInventory('inv.yaml', text);
    const again = buildInventory(structuredClone(compileInventory(inv)));
    expect(isEmptyDiff(diffInventories(inv, again))).toBe(true);
    expect(again.macOwners.size).toBe(inv.macOwners.size);
    expect(again.routerMacs).toEqual(inv.routerMacs);
    expect(again.serversByIp.size).toBe(inv.serversByIp.size);
    expect(again.failovers.size).toBe(inv.failovers.size);
  });

  it('keeps every field: a virtual MAC, a split block\'s member, a portable block\'s gateway, a mute, a customer\'s locale', async () => {
    const inv = parseInventory('inv.yaml', TEST_INVENTORY.replace('{ ip: 198.51.100.9, server: srv-b }', '{ ip: 198.51.100.9, server: srv-b, muted: true }'));
    const c = compileInventory(inv);
    expect(compiledBuffers(c).length).toBeGreaterThan(5);
    const again = await buildInSlices(c, 0);
    expect(again.failover(parseIp('198.51.100.8')!)?.virtualMac).toBe(parseMac('02:00:00:aa:bb:cc'));
    expect(again.failover(parseIp('198.51.100.9')!)?.muted).toBe(true);
    expect(again.failover(parseIp('192.0.2.18')!)?.block?.cidr).toBe('192.0.2.16/28');
    expect(again.unsplitBlock(parseIp('192.0.2.5')!)?.server?.id).toBe('srv-a');
    expect(again.portableBlock(parseIp('198.51.100.70')!)?.gateway).toBe(parseIp('198.51.100.65'));
    expect(again.isVrack(parseIp('100.64.3.4')!)).toBe(true);
    expect(again.customers.get('c-1')).toEqual({ id: 'c-1', email: 'ops@example.net', name: 'Example SARL', locale: 'fr', muted: false });
    expect(again.servers.get('srv-b')?.vlan).toBeNull();
    expect(again.macOwners.get(parseMac('0c:c4:7a:00:00:0b')!)?.kind).toBe('server');
  });
});
