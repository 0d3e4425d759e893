/**
 * The cold load's resolution (stream-load.ts): each server and failover IP goes into the index's columns as its line
 * is read, its references found by row (ByteIds), its addresses claimed in the index's own tables; the few
 * routers, customers and blocks are entries, resolved as resolve.ts does. It only says whether the file is
 * right: at the first thing resolve.ts would report (a duplicate, a missing reference, a bad address, a
 * contradiction), it stops, and the caller reads the file again the usual way, which names every problem with its
 * file and line. So every check here is one of resolve.ts's, on the same values, in an order that gives the same
 * index when there is none (stream-load.test.ts compares both).
 */
import { contains, parseCidr, type Cidr } from '../common/cidr.js';
import { parseIp, parseMac } from '../decode/addr.js';
import { ByteIds } from './byte-ids.js';
import { InventoryIndex, MAC_SERVER, MAC_VMAC } from './inventory-index.js';
import type { RoutedBlock } from './model.js';
import { blockText, checkOverlaps, type FileRange, holderOf, isNicMac } from './resolve.js';
import type { InventoryFile } from './schema.js';
import type { FailoverFields, ServerFields } from './stream-entries.js';

type Entries = Pick<InventoryFile, 'routers' | 'customers' | 'blocks' | 'portable_blocks' | 'vrack'>;
type ServerEntry = InventoryFile['servers'][number];
type FailoverEntry = InventoryFile['failover_ips'][number];

/** a MAC as a NIC's, or null (absent: -1 stays -1) */
const nicMac = (s: string): number | null => {
  const mac = parseMac(s);
  return mac !== null && isNicMac(mac) ? mac : null;
};

/** How many of each the file holds at most (lines counted ahead): the tables sized for them, none grows (rehashes) on the way. */
export interface Expected { customers: number; servers: number; failovers: number; macs: number }

export class StreamResolver {
  readonly inv: InventoryIndex;
  private readonly customerIds: ByteIds;
  private readonly serverIds: ByteIds;

  constructor(expected: Expected) {
    this.inv = new InventoryIndex({ servers: expected.servers, failovers: expected.failovers, macs: expected.macs });
    this.customerIds = new ByteIds(expected.customers);
    this.serverIds = new ByteIds(expected.servers);
  }

  /** The routers and customers, before any server (servers name them). */
  routersAndCustomers(e: Pick<Entries, 'routers' | 'customers'>): boolean {
    const inv = this.inv;
    for (const r of e.routers) {
      const ip = parseIp(r.ip);
      const mac = nicMac(r.mac);
      if (ip === null || mac === null || holderOf(inv, ip) !== null) return false;
      inv.addRouter({ ip, mac });
    }
    for (const c of e.customers) {
      if (this.customerIds.addString(c.id) < 0) return false;
      inv.addCustomer({ id: c.id, email: c.email, name: c.name ?? c.id, locale: c.locale, muted: c.muted });
    }
    return true;
  }

  /** A server read from its line's bytes `b` (the ids' ranges in it). */
  server(b: Uint8Array, s: Readonly<ServerFields>): boolean {
    return this.addServer(b, s.idFrom, s.idTo, b, s.customerFrom, s.customerTo, s.ip, nicMacOrNull(s.mac), s.gateway, s.vlan);
  }

  /** A server the schema validated (a line not in stream-entries.ts's strict shape). */
  serverEntry(e: ServerEntry): boolean {
    const id = Buffer.from(e.id, 'latin1');
    const customer = Buffer.from(e.customer, 'latin1');
    return this.addServer(id, 0, id.length, customer, 0, customer.length, parseIp(e.ip), nicMac(e.mac), parseIp(e.gateway), e.vlan ?? -1);
  }

  /** A single failover IP read from its line's bytes; its place against the blocks is checked by finish(). */
  failover(b: Uint8Array, f: Readonly<FailoverFields>): boolean {
    return this.addFailover(this.serverIds.find(b, f.serverFrom, f.serverTo), f.ip, f.vmac < 0 ? -1 : nicMacOrNull(f.vmac), f.muted, -1);
  }

  failoverEntry(e: FailoverEntry): boolean {
    return this.addFailover(this.serverIds.findString(e.server), parseIp(e.ip), e.virtual_mac === undefined ? -1 : nicMac(e.virtual_mac), e.muted, -1);
  }

  /** The blocks, portable blocks and vRack ranges, the failovers against them, the blocks' members: the index, or null. */
  finish(e: Entries): InventoryIndex | null {
    const inv = this.inv;
    if (inv.serverCount === 0) return null;
    inv.setServerIds(this.serverIds.joined());
    const ranges: FileRange[] = [];
    const blocks: number[] = [];
    for (let i = 0; i < e.blocks.length; i++) {
      const b = e.blocks[i];
      const range = parseCidr(b.cidr);
      if (typeof range === 'string') return null;
      let server = -1;
      if (b.server !== undefined) {
        server = this.serverIds.findString(b.server);
        if (server < 0) return null;
      } else if (!b.split) return null;
      if (!b.split && b.members.length > 0) return null;
      const block: RoutedBlock = { cidr: b.cidr, range, split: b.split, server: server < 0 ? null : inv.serverAt(server) };
      const index = inv.addBlock(block);
      if (index < 0) return null;
      ranges.push({ range, path: ['blocks', i], what: blockText(block) });
      blocks.push(index);
    }
    for (let i = 0; i < e.portable_blocks.length; i++) {
      const p = e.portable_blocks[i];
      const range = parseCidr(p.cidr);
      const row = this.customerIds.findString(p.customer);
      if (typeof range === 'string' || row < 0 || range.prefix > 29) return null;
      const customer = inv.customerList[row];
      if (inv.portableBlocks.add(range, { cidr: p.cidr, range, gateway: range.network + 1, customer, vlan: p.vlan ?? null }) !== undefined) return null;
      ranges.push({ range, path: ['portable_blocks', i], what: `portable block ${p.cidr} of customer ${customer.id}` });
    }
    for (let i = 0; i < e.vrack.length; i++) {
      const range: Cidr | string = parseCidr(e.vrack[i]);
      if (typeof range === 'string' || inv.vrack.add(range, range) !== undefined) return null;
      ranges.push({ range, path: ['vrack', i], what: `vRack range ${e.vrack[i]}` });
    }
    let overlaps = false;
    checkOverlaps(ranges, () => { overlaps = true; });
    if (overlaps) return null;
    if (inv.blocks.size > 0 || inv.vrack.size > 0 || inv.portableBlocks.size > 0) {
      for (let row = 0; row < inv.failoverCount; row++) if (!this.fits(inv.fo.ip[row], inv.fo.server[row])) return null;
    }
    for (let i = 0; i < e.blocks.length; i++) {
      for (const m of e.blocks[i].members) {
        const ip = parseIp(m.ip);
        if (ip === null || !contains(inv.blockList[blocks[i]].range, ip)) return null;
        if (!this.addFailover(this.serverIds.findString(m.server), ip, m.virtual_mac === undefined ? -1 : nicMac(m.virtual_mac), m.muted, blocks[i])) return null;
      }
    }
    inv.seal();
    return inv;
  }

  private addServer(ib: Uint8Array, idFrom: number, idTo: number, cb: Uint8Array, cFrom: number, cTo: number,
    ip: number | null, mac: number | null, gateway: number | null, vlan: number): boolean {
    const inv = this.inv;
    // the servers come before any failover IP (stream-load.ts): the IP's holder can only be a router or a server
    if (inv.failoverCount > 0) return false;
    const customer = this.customerIds.find(cb, cFrom, cTo);
    if (customer < 0 || ip === null || mac === null || gateway === null || !inv.routers.has(gateway) || inv.routers.has(ip)) return false;
    const row = this.serverIds.add(ib, idFrom, idTo);
    if (row < 0) return false;
    inv.appendServerRow(customer, ip, mac, gateway, vlan);
    // set() answers the row or code it replaced: a holder there already is the problem (the index is not used then)
    return inv.serverRows.set(ip, row) < 0 && inv.macRows.set(mac, row * 4 + MAC_SERVER) < 0;
  }

  /** `vmac`: -1 for none, null for one that is no NIC's; `block`: the split block's index, or -1 */
  private addFailover(server: number, ip: number | null, vmac: number | null, muted: boolean, block: number): boolean {
    const inv = this.inv;
    if (server < 0 || ip === null || vmac === null || inv.routers.has(ip) || inv.serverRows.rowOf(ip) >= 0) return false;
    const row = inv.appendFailover(ip, server, vmac, block, muted);
    // as in addServer: an earlier failover IP or MAC there already is the problem
    return inv.failoverRows.set(ip, row) < 0 && (vmac < 0 || inv.macRows.set(vmac, row * 4 + MAC_VMAC) < 0);
  }

  /** resolve.ts's failoverFits: a single failover IP inside no range that says otherwise about it */
  private fits(ip: number, serverRow: number): boolean {
    const inv = this.inv;
    const routed = inv.unsplitBlock(ip);
    if (routed !== undefined && routed.server !== null && routed.server !== inv.serverAt(serverRow)) return false;
    if (inv.vrack.size > 0 && inv.vrack.lookup(ip) !== undefined) return false;
    return inv.portableBlock(ip) === undefined;
  }
}

function nicMacOrNull(mac: number): number | null {
  return isNicMac(mac) ? mac : null;
}
