import { type Cidr, contains, parseCidr } from '../common/cidr.js';
import { describeValue } from '../common/validation-messages.js';
import type { FileProblems, Problem, YamlPath } from '../common/yaml-errors.js';
import { ipToString, macToString, parseIp, parseMac } from '../decode/addr.js';
import { InventoryIndex, MAC_ROUTER, MAC_SERVER, MAC_VMAC } from './inventory-index.js';
import { IdTable } from './id-table.js';
import type { RoutedBlock } from './model.js';
import type { ValidatedInventory } from './validate.js';

const TWO_POW_40 = 2 ** 40;

/** A range of the file (RIPE block, portable block, vRack range), to find the ones that overlap. */
export interface FileRange { range: Cidr; path: YamlPath; what: string }

/** A NIC's MAC (router, server, virtual MAC): never a group address, never zero. */
export function isNicMac(mac: number): boolean {
  return mac !== 0 && (Math.floor(mac / TWO_POW_40) & 1) === 0;
}

/**
 * Turns the validated file into the index, checking every reference, address and contradiction;
 * every problem goes into `problems` (the index is only to be used when there is none).
 */
export function resolveInventory(v: ValidatedInventory, problems: FileProblems): InventoryIndex {
  const f = v.file;
  // sized ahead: no table grows (rehashes) while 300,000 entries go in (forEach: an invalid entry is a hole)
  let members = 0;
  f.blocks.forEach((b) => { members += b.members.length; });
  let vmacs = 0;
  f.failover_ips.forEach((fo) => { if (fo.virtual_mac !== undefined) vmacs++; });
  const inv = new InventoryIndex({ servers: f.servers.length, failovers: f.failover_ips.length + members, macs: f.routers.length + f.servers.length + vmacs });
  const bad = (path: YamlPath, what: string, see?: Problem['see']): void => problems.add(path, what, see);
  // a field's path is made only for a problem: the entry's path and the key, not an array per field of 300,000 entries
  const field = (entry: YamlPath, key: string): YamlPath => [...entry, key];
  const ipAt = (s: string, entry: YamlPath, key: string): number | null => {
    const ip = parseIp(s);
    if (ip === null) bad(field(entry, key), `not an IPv4 address: ${describeValue(s)}`);
    return ip;
  };
  /** a NIC's MAC (router, server, virtual MAC): never a group address, never zero; `whose` `of`: its owner in words, joined only for a problem */
  const macAt = (s: string, entry: YamlPath, key: string, whose: string, of = ''): number | null => {
    const mac = parseMac(s);
    if (mac !== null && isNicMac(mac)) return mac;
    const path = field(entry, key);
    const owner = of === '' ? whose : `${whose} ${of}`;
    if (mac === null) bad(path, `not a MAC address: ${describeValue(s)} (six hex bytes, ":" or "-" separated)`);
    else if (mac === 0) bad(path, `${macToString(mac)} is no NIC's MAC: the ${owner} needs its real one`);
    else bad(path, `${macToString(mac)} is ${mac === 0xffffffffffff ? 'the broadcast MAC' : 'a multicast MAC'}, not one NIC's: the ${owner} needs a unicast MAC`);
    return null;
  };
  const cidrAt = (s: string, path: YamlPath): Cidr | null => {
    const c = parseCidr(s);
    if (typeof c === 'string') { bad(path, c); return null; }
    return c;
  };
  /** an IP not held yet (by a router, a server's main IP, a failover IP): the index's own tables answer, the caller then adds it */
  const claimIp = (ip: number, entry: YamlPath, key: string): boolean => {
    const prev = holderOf(inv, ip);
    if (prev !== null) { bad(field(entry, key), `${ipToString(ip)} is already ${prev}`); return false; }
    return true;
  };
  /** `code`: the owner's (MAC_SERVER + 4 × its row, ...) */
  /** `who`, `of`: the new owner in words, `${who} ${of}` */
  const claimMac = (mac: number, entry: YamlPath, key: string, code: number, who: string, of: string): void => {
    const prev = inv.macRows.codeOf(mac);
    if (prev >= 0) { bad(field(entry, key), `${macToString(mac)} is already the MAC of ${describeOwner(inv, prev)}, cannot also be ${who} ${of}`); return; }
    inv.macRows.set(mac, code);
  };

  // the customers' and servers' rows by id, for the file's references (see IdTable)
  const customerIds = new IdTable<number>(f.customers.length);
  const serverIds = new IdTable<number>(f.servers.length);

  f.routers.forEach((r, i) => {
    const ip = ipAt(r.ip, ['routers', i], 'ip');
    const mac = macAt(r.mac, ['routers', i], 'mac', 'router');
    if (ip === null || mac === null) return;
    claimIp(ip, ['routers', i], 'ip');
    inv.addRouter({ ip, mac });
  });

  f.customers.forEach((c, i) => {
    const customer = { id: c.id, email: c.email, name: c.name ?? c.id, locale: c.locale, muted: c.muted };
    if (!customerIds.add(c.id, inv.customerList.length)) return bad(['customers', i, 'id'], `customer "${c.id}" is defined twice`);
    inv.addCustomer(customer);
  });
  /** a customer's row; a reference to a customer declared but broken is not reported again */
  const customerAt = (id: string, entry: YamlPath, key: string): number | undefined => {
    const c = customerIds.get(id);
    if (c === undefined && !v.declares('customers', id)) bad(field(entry, key), `no customer "${id}" in customers`);
    return c;
  };

  f.servers.forEach((s, i) => {
    const entry: YamlPath = ['servers', i];
    if (serverIds.has(s.id)) return bad(field(entry, 'id'), `server "${s.id}" is defined twice`);
    const customer = customerAt(s.customer, entry, 'customer');
    const ip = ipAt(s.ip, entry, 'ip');
    const mac = macAt(s.mac, entry, 'mac', 'server', s.id);
    const gateway = ipAt(s.gateway, entry, 'gateway');
    if (gateway !== null && !inv.routers.has(gateway)) {
      bad(field(entry, 'gateway'), `${ipToString(gateway)}, the gateway of server ${s.id}, is no router in routers${inv.routers.size === 0 ? ' (there is none)' : ''}: `
        + 'the emails would tell the customer to use it');
    }
    if (customer === undefined || ip === null || mac === null || gateway === null) return;
    const row = inv.appendServer(s.id, customer, ip, mac, gateway, s.vlan ?? -1);
    serverIds.add(s.id, row);
    if (claimIp(ip, entry, 'ip')) inv.serverRows.set(ip, row);
    claimMac(mac, entry, 'mac', row * 4 + MAC_SERVER, 'server', s.id);
  });

  /** a server's row, or -1; a reference to a server declared but broken is not reported again */
  const serverAt = (id: string, entry: YamlPath, key: string): number => {
    const s = serverIds.get(id);
    if (s === undefined && !v.declares('servers', id)) bad(field(entry, key), `no server "${id}" in servers`);
    return s ?? -1;
  };

  // the ranges first, so that a failover IP can be checked against every one of them
  const ranges: FileRange[] = [];
  const blockPaths = new Map<RoutedBlock, YamlPath>();
  /** each file block's index in the index's list (the failovers' block column), or -1 */
  const blocks: number[] = f.blocks.map((b, i) => {
    const at = (k: string): YamlPath => ['blocks', i, k];
    const range = cidrAt(b.cidr, at('cidr'));
    if (range === null) return -1;
    let server = -1;
    if (b.server !== undefined) server = serverAt(b.server, ['blocks', i], 'server');
    else if (!b.split) { bad(['blocks', i], `block ${b.cidr} is not split: it needs the "server" it is routed to`); return -1; }
    if (!b.split && b.members.length > 0) { bad(at('members'), `block ${b.cidr} is not split: members are only for split blocks (split: true)`); return -1; }
    if (!b.split && server < 0) return -1;
    const block: RoutedBlock = { cidr: b.cidr, range, split: b.split, server: server < 0 ? null : inv.serverAt(server) };
    const index = inv.addBlock(block);
    if (index < 0) { bad(at('cidr'), `block ${b.cidr} is listed twice`); return -1; }
    blockPaths.set(block, ['blocks', i]);
    ranges.push({ range, path: ['blocks', i], what: blockText(block) });
    return index;
  });

  f.portable_blocks.forEach((p, i) => {
    const at = (k: string): YamlPath => ['portable_blocks', i, k];
    const range = cidrAt(p.cidr, at('cidr'));
    const row = customerAt(p.customer, ['portable_blocks', i], 'customer');
    if (row === undefined || range === null) return;
    const customer = inv.customerList[row];
    if (range.prefix > 29) return bad(at('cidr'), `a portable block needs at least 8 addresses (network, gateway, broadcast are unusable): "${p.cidr}"`);
    if (inv.portableBlocks.add(range, { cidr: p.cidr, range, gateway: range.network + 1, customer, vlan: p.vlan ?? null }) !== undefined) {
      return bad(at('cidr'), `portable block ${p.cidr} is listed twice`);
    }
    ranges.push({ range, path: ['portable_blocks', i], what: `portable block ${p.cidr} of customer ${customer.id}` });
  });

  f.vrack.forEach((s, i) => {
    const range = cidrAt(s, ['vrack', i]);
    if (range === null) return;
    if (inv.vrack.add(range, range) !== undefined) return bad(['vrack', i], `vRack range ${s} is listed twice`);
    ranges.push({ range, path: ['vrack', i], what: `vRack range ${s}` });
  });
  checkOverlaps(ranges, bad);

  /** `block`: the index of the split block it is a member of, or -1 */
  const addFailover = (m: { ip: string; server: string; virtual_mac?: string; muted: boolean }, path: YamlPath, block: number): void => {
    const ip = ipAt(m.ip, path, 'ip');
    const server = serverAt(m.server, path, 'server');
    const vmac = m.virtual_mac === undefined ? null : macAt(m.virtual_mac, path, 'virtual_mac', 'virtual MAC of', m.ip);
    if (ip === null || server < 0 || (m.virtual_mac !== undefined && vmac === null)) return;
    const b = block < 0 ? null : inv.blockList[block];
    if (b !== null && !contains(b.range, ip)) return bad([...path, 'ip'], `${m.ip} is not inside the block ${b.cidr}`);
    if (b === null && !failoverFits(ip, server, path)) return;
    if (!claimIp(ip, path, 'ip')) return;
    const row = inv.appendFailover(ip, server, vmac ?? -1, block, m.muted);
    inv.setFailoverIp(ip, row);
    if (vmac !== null) claimMac(vmac, path, 'virtual_mac', row * 4 + MAC_VMAC, 'the virtual MAC of', m.ip);
  };
  /** a single failover IP (of the server of row `serverRow`) inside a range that says otherwise about it (a member sits in its own block, and blocks do not overlap) */
  const failoverFits = (ip: number, serverRow: number, entry: YamlPath): boolean => {
    const path = (): YamlPath => [...entry, 'ip'];
    const routed = inv.unsplitBlock(ip);
    if (routed !== undefined && routed.server !== null && routed.server !== inv.serverAt(serverRow)) {
      bad(path(), `${ipToString(ip)} is in block ${routed.cidr} of server ${routed.server.id} and is also a failover IP of ${inv.serverId(serverRow)}`,
        { path: blockPaths.get(routed)!, what: `block ${routed.cidr}` });
      return false;
    }
    const vrack = inv.vrack.size > 0 ? inv.vrack.lookup(ip) : undefined;
    if (vrack !== undefined) {
      bad(path(), `${ipToString(ip)} is a failover IP of ${inv.serverId(serverRow)} and is also inside vRack range ${cidrText(vrack)}, a private network`);
      return false;
    }
    const portable = inv.portableBlock(ip);
    if (portable !== undefined) {
      bad(path(), `${ipToString(ip)} is a failover IP of ${inv.serverId(serverRow)} and is also inside portable block ${portable.cidr} of customer ${portable.customer.id}`);
      return false;
    }
    return true;
  };

  f.failover_ips.forEach((fo, i) => addFailover(fo, ['failover_ips', i], -1));
  f.blocks.forEach((b, i) => {
    const block = blocks[i];
    if (block !== undefined && block >= 0) b.members.forEach((m, j) => addFailover(m, ['blocks', i, 'members', j], block));
  });

  if (f.servers.length === 0 && problems.size === 0) bad(['servers'], 'no server: an inventory lists at least one (a truncated file?)');
  inv.seal();
  return inv;
}

/** What holds an IP in the index being built, in words: a router, a server (its main IP), a single failover IP, a block (a member of it); null: none. */
export function holderOf(inv: InventoryIndex, ip: number): string | null {
  if (inv.routers.has(ip)) return 'a router';
  const server = inv.serverRows.rowOf(ip);
  if (server >= 0) return `the main IP of server ${inv.serverId(server)}`;
  const fo = inv.failoverRows.rowOf(ip);
  if (fo < 0) return null;
  const block = inv.fo.block[fo];
  return block < 0 ? 'a failover IP' : `a member of block ${inv.blockList[block].cidr}`;
}

/** Ranges that share an address, each pair named once (sorted by start, a sweep keeps the one reaching furthest). */
export function checkOverlaps(ranges: FileRange[], bad: (path: YamlPath, what: string, see?: Problem['see']) => void): void {
  if (ranges.length < 2) return;
  const sorted = [...ranges].sort((a, b) => a.range.network - b.range.network || a.range.prefix - b.range.prefix);
  let reach = sorted[0];
  for (let i = 1; i < sorted.length; i++) {
    const r = sorted[i];
    if (r.range.network <= reach.range.broadcast) {
      // named where the later one of the two is listed
      const [first, later] = ranges.indexOf(r) > ranges.indexOf(reach) ? [reach, r] : [r, reach];
      bad(later.path, `${later.what} overlaps ${first.what}`, { path: first.path, what: first.what.split(' of ')[0] });
    }
    if (r.range.broadcast > reach.range.broadcast) reach = r;
  }
}

export function blockText(b: RoutedBlock): string {
  return b.split ? `split block ${b.cidr}` : `block ${b.cidr} of server ${b.server!.id}`;
}

function cidrText(c: Cidr): string {
  return `${ipToString(c.network)}/${c.prefix}`;
}

/** A MAC owner code (see InventoryIndex.macRows) in words. */
function describeOwner(inv: InventoryIndex, code: number): string {
  const row = code >>> 2;
  switch (code & 3) {
    case MAC_SERVER: return `server ${inv.serverId(row)}`;
    case MAC_VMAC: return `the virtual MAC of ${ipToString(inv.fo.ip[row])}`;
    case MAC_ROUTER: return `router ${ipToString(inv.routerList[row].ip)}`;
    default: throw new Error(`no MAC owner kind ${code & 3}`);
  }
}
