import { describe, expect, it } from 'vitest';
import { TEST_INVENTORY } from '../../test/helpers/arp.js';
import { parseIp, parseMac } from '../decode/addr.js';
import { buildInventory, compileInventory } from './compiled.js';
import { FAILOVER_STRIDE, FO_GATEWAY, FO_SERVER_MAC, FO_VMAC, type InventoryIndex, ROLE_FAILOVER } from './inventory-index.js';
import { parseInventory } from './load.js';

const ip = (s: string): number => parseIp(s)!;
const mac = (s: string): number => parseMac(s)!;

const fromFile = parseInventory('inv.yaml', TEST_INVENTORY);
const fromColumns = buildInventory(structuredClone(compileInventory(fromFile)));

describe.each([['read from the file', fromFile], ['built from its columns', fromColumns]])('the index as columns, %s', (_what, inv: InventoryIndex) => {
  it('makes one object a row: two lookups of a server, by any path, give the same object', () => {
    const fo = inv.failover(ip('198.51.100.7'))!;
    expect(fo).toBe(inv.failover(ip('198.51.100.7')));
    expect(fo.server).toBe(inv.serversByIp.get(ip('203.0.113.10')));
    expect(fo.server).toBe(inv.servers.get('srv-a'));
    const owner = inv.macOwners.get(mac('0c:c4:7a:00:00:0a'));
    expect(owner?.kind === 'server' && owner.server).toBe(fo.server);
    const vmac = inv.macOwners.get(mac('02:00:00:aa:bb:cc'));
    expect(vmac?.kind === 'virtual-mac' && vmac.failover).toBe(inv.failover(ip('198.51.100.8')));
    expect(inv.unsplitBlock(ip('192.0.2.5'))?.server).toBe(fo.server);
    expect(inv.failover(ip('192.0.2.18'))?.block).toBe(inv.routedBlock(ip('192.0.2.18')));
    expect(fo.server.customer).toBe(inv.customers.get('c-1'));
    const router = inv.macOwners.get(mac('00:00:5e:00:01:01'));
    expect(router?.kind === 'router' && router.router).toBe(inv.routers.get(ip('203.0.113.254')));
  });

  it('gives every field of a row: a server without VLAN, one with, a failover without virtual MAC', () => {
    expect(inv.servers.get('srv-b')).toEqual({ id: 'srv-b', customer: inv.customers.get('c-2'), ip: ip('203.0.113.11'), mac: mac('0c:c4:7a:00:00:0b'), gateway: ip('203.0.113.254'), vlan: null });
    expect(inv.servers.get('srv-a')?.vlan).toBe(100);
    expect(inv.failover(ip('198.51.100.9'))).toMatchObject({ ip: ip('198.51.100.9'), virtualMac: null, block: null, muted: false });
    expect(inv.servers.get('srv-c')).toBeUndefined();
    expect(inv.serversByIp.get(ip('198.51.100.7'))).toBeUndefined();
    expect([...inv.servers.values()].map((s) => s.id)).toEqual(['srv-a', 'srv-b']);
    expect([...inv.failovers.ips()]).toEqual(['198.51.100.7', '198.51.100.8', '198.51.100.9', '192.0.2.18'].map(ip));
    expect(inv.virtualMacCount()).toBe(1);
    expect(inv.failover(ip('198.51.100.8'))).toBe(inv.failover(ip('198.51.100.8')));
    expect(inv.failover(ip('198.51.100.8'))?.ip).toBe(ip('198.51.100.8'));
  });

  it('answers a failover\'s role code with its row in the hot fields: its virtual MAC, its server\'s NIC MAC and gateway', () => {
    const hot = inv.failoverHot();
    const at = (s: string): number => {
      const code = inv.roleCode(ip(s) | 0);
      expect(code & 3).toBe(ROLE_FAILOVER);
      return (code >>> 2) * FAILOVER_STRIDE;
    };
    expect(hot[at('198.51.100.8') + FO_VMAC]).toBe(mac('02:00:00:aa:bb:cc'));
    expect(hot[at('198.51.100.8') + FO_SERVER_MAC]).toBe(mac('0c:c4:7a:00:00:0a'));
    expect(hot[at('198.51.100.9') + FO_VMAC]).toBe(-1);
    expect(hot[at('192.0.2.18') + FO_SERVER_MAC]).toBe(mac('0c:c4:7a:00:00:0b'));
    expect(hot[at('192.0.2.18') + FO_GATEWAY]).toBe(ip('203.0.113.254'));
    expect(hot.length).toBe(inv.failovers.size * FAILOVER_STRIDE);
  });
});

describe('the columns', () => {
  it('of a compiled inventory are the index\'s, and compiling the index gives them back (no copy)', () => {
    const c = compileInventory(fromFile);
    expect(c.servers.ip).toBe(fromFile.sv.ip);
    const inv = buildInventory(c);
    expect(inv.sv.mac).toBe(c.servers.mac);
    expect(inv.fo.ip).toBe(c.failovers.ip);
    expect(compileInventory(inv).failovers.vmac).toBe(c.failovers.vmac);
    expect(compileInventory(inv)).toEqual(c);
  });
});
