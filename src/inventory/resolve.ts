import { type Cidr, contains, parseCidr } from '../common/cidr.js';
import { describeValue } from '../common/validation-messages.js';
import type { FileProblems, Problem, YamlPath } from '../common/yaml-errors.js';
import { ipToString, macToString, parseIp, parseMac } from '../decode/addr.js';
import { IpMap } from '../common/ip-map.js';
import { InventoryIndex } from './inventory-index.js';
import { IdTable } from './id-table.js';
import type { Customer, FailoverIp, RoutedBlock, Server } from './model.js';
import type { ValidatedInventory } from './validate.js';

const TWO_POW_40 = 2 ** 40;

/** A range of the file (RIPE block, portable block, vRack range), to find the ones that overlap. */
interface FileRange { range: Cidr; path: YamlPath; what: string }

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
  const ipAt = (s: string, path: YamlPath): number | null => {
    const ip = parseIp(s);
    if (ip === null) bad(path, `not an IPv4 address: ${describeValue(s)}`);
    return ip;
  };
  /** a NIC's MAC (router, server, virtual MAC): never a group address, never zero */
  const macAt = (s: string, path: YamlPath, whose: string): number | null => {
    const mac = parseMac(s);
    if (mac === null) bad(path, `not a MAC address: ${describeValue(s)} (six hex bytes, ":" or "-" separated)`);
    else if (mac === 0) { bad(path, `${macToString(mac)} is no NIC's MAC: the ${whose} needs its real one`); return null; }
    else if (Math.floor(mac / TWO_POW_40) & 1) {
      const kind = mac === 0xffffffffffff ? 'the broadcast MAC' : 'a multicast MAC';
      bad(path, `${macToString(mac)} is ${kind}, not one NIC's: the ${whose} needs a unicast MAC`);
      return null;
    }
    return mac;
  };
  const cidrAt = (s: string, path: YamlPath): Cidr | null => {
    const c = parseCidr(s);
    if (typeof c === 'string') { bad(path, c); return null; }
    return c;
  };
  /** who already holds an IP, for duplicate checks (an IpMap: a Map would box most IPs, 300,000 times); named only when needed */
  const ipHolders = new IpMap<IpHolder>(f.servers.length + f.failover_ips.length + members + f.routers.length);
  const claimIp = (ip: number, who: IpHolder, path: YamlPath): boolean => {
    const prev = ipHolders.get(ip);
    if (prev !== undefined) { bad(path, `${ipToString(ip)} is already ${holderText(prev)}`); return false; }
    ipHolders.set(ip, who);
    return true;
  };
  const claimMac = (mac: number, path: YamlPath, owner: Parameters<InventoryIndex['macOwners']['set']>[1], who: string): void => {
    const prev = inv.macOwners.get(mac);
    if (prev !== undefined) { bad(path, `${macToString(mac)} is already the MAC of ${describeOwner(prev)}, cannot also be ${who}`); return; }
    inv.macOwners.set(mac, owner);
  };

  // inv.customers and inv.servers, for the file's references (see IdTable)
  const customerIds = new IdTable<Customer>(f.customers.length);
  const serverIds = new IdTable<Server>(f.servers.length);

  f.routers.forEach((r, i) => {
    const ip = ipAt(r.ip, ['routers', i, 'ip']);
    const mac = macAt(r.mac, ['routers', i, 'mac'], 'router');
    if (ip === null || mac === null) return;
    const router = { ip, mac };
    inv.routers.set(ip, router);
    if (!inv.routerMacs.includes(mac)) inv.routerMacs.push(mac);
    claimIp(ip, 'a router', ['routers', i, 'ip']);
    if (!inv.macOwners.has(mac)) inv.macOwners.set(mac, { kind: 'router', router });
  });

  f.customers.forEach((c, i) => {
    const customer = { id: c.id, email: c.email, name: c.name ?? c.id, locale: c.locale, muted: c.muted };
    if (!customerIds.add(c.id, customer)) return bad(['customers', i, 'id'], `customer "${c.id}" is defined twice`);
    inv.customers.set(c.id, customer);
  });
  /** a reference to a customer declared but broken is not reported again */
  const customerAt = (id: string, path: YamlPath): ReturnType<typeof inv.customers.get> => {
    const c = customerIds.get(id);
    if (c === undefined && !v.declares('customers', id)) bad(path, `no customer "${id}" in customers`);
    return c;
  };

  f.servers.forEach((s, i) => {
    const at = (k: string): YamlPath => ['servers', i, k];
    if (serverIds.has(s.id)) return bad(at('id'), `server "${s.id}" is defined twice`);
    const customer = customerAt(s.customer, at('customer'));
    const ip = ipAt(s.ip, at('ip'));
    const mac = macAt(s.mac, at('mac'), `server ${s.id}`);
    const gateway = ipAt(s.gateway, at('gateway'));
    if (gateway !== null && !inv.routers.has(gateway)) {
      bad(at('gateway'), `${ipToString(gateway)}, the gateway of server ${s.id}, is no router in routers${inv.routers.size === 0 ? ' (there is none)' : ''}: `
        + 'the emails would tell the customer to use it');
    }
    if (customer === undefined || ip === null || mac === null || gateway === null) return;
    const server: Server = { id: s.id, customer, ip, mac, gateway, vlan: s.vlan ?? null };
    serverIds.add(s.id, server);
    inv.servers.set(s.id, server);
    if (claimIp(ip, server, at('ip'))) inv.serversByIp.set(ip, server);
    claimMac(mac, at('mac'), { kind: 'server', server }, `server ${s.id}`);
  });

  /** a reference to a server declared but broken is not reported again */
  const serverAt = (id: string, path: YamlPath): Server | null => {
    const s = serverIds.get(id);
    if (s === undefined && !v.declares('servers', id)) bad(path, `no server "${id}" in servers`);
    return s ?? null;
  };

  // the ranges first, so that a failover IP can be checked against every one of them
  const ranges: FileRange[] = [];
  const blockPaths = new Map<RoutedBlock, YamlPath>();
  const blocks: (RoutedBlock | null)[] = f.blocks.map((b, i) => {
    const at = (k: string): YamlPath => ['blocks', i, k];
    const range = cidrAt(b.cidr, at('cidr'));
    if (range === null) return null;
    let server: Server | null = null;
    if (b.server !== undefined) server = serverAt(b.server, at('server'));
    else if (!b.split) { bad(['blocks', i], `block ${b.cidr} is not split: it needs the "server" it is routed to`); return null; }
    if (!b.split && b.members.length > 0) { bad(at('members'), `block ${b.cidr} is not split: members are only for split blocks (split: true)`); return null; }
    if (!b.split && server === null) return null;
    const block: RoutedBlock = { cidr: b.cidr, range, split: b.split, server };
    if (inv.blocks.add(range, block) !== undefined) { bad(at('cidr'), `block ${b.cidr} is listed twice`); return null; }
    blockPaths.set(block, ['blocks', i]);
    ranges.push({ range, path: ['blocks', i], what: blockText(block) });
    return block;
  });

  f.portable_blocks.forEach((p, i) => {
    const at = (k: string): YamlPath => ['portable_blocks', i, k];
    const range = cidrAt(p.cidr, at('cidr'));
    const customer = customerAt(p.customer, at('customer'));
    if (customer === undefined || range === null) return;
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

  const addFailover = (m: { ip: string; server: string; virtual_mac?: string; muted: boolean }, path: YamlPath, block: RoutedBlock | null): void => {
    const ip = ipAt(m.ip, [...path, 'ip']);
    const server = serverAt(m.server, [...path, 'server']);
    const vmac = m.virtual_mac === undefined ? null : macAt(m.virtual_mac, [...path, 'virtual_mac'], `virtual MAC of ${m.ip}`);
    if (ip === null || server === null || (m.virtual_mac !== undefined && vmac === null)) return;
    if (block !== null && !contains(block.range, ip)) return bad([...path, 'ip'], `${m.ip} is not inside the block ${block.cidr}`);
    if (block === null && !failoverFits(ip, server, path)) return;
    if (!claimIp(ip, block ?? 'a failover IP', [...path, 'ip'])) return;
    const fo: FailoverIp = { ip, server, virtualMac: vmac, block, muted: m.muted };
    inv.failovers.set(ip, fo);
    if (vmac !== null) claimMac(vmac, [...path, 'virtual_mac'], { kind: 'virtual-mac', failover: fo }, `the virtual MAC of ${m.ip}`);
  };
  /** a single failover IP inside a range that says otherwise about it (a member sits in its own block, and blocks do not overlap) */
  const failoverFits = (ip: number, server: Server, entry: YamlPath): boolean => {
    const path = (): YamlPath => [...entry, 'ip'];
    const routed = inv.unsplitBlock(ip);
    if (routed !== undefined && routed.server !== null && routed.server !== server) {
      bad(path(), `${ipToString(ip)} is in block ${routed.cidr} of server ${routed.server.id} and is also a failover IP of ${server.id}`,
        { path: blockPaths.get(routed)!, what: `block ${routed.cidr}` });
      return false;
    }
    const vrack = inv.vrack.size > 0 ? inv.vrack.lookup(ip) : undefined;
    if (vrack !== undefined) {
      bad(path(), `${ipToString(ip)} is a failover IP of ${server.id} and is also inside vRack range ${cidrText(vrack)}, a private network`);
      return false;
    }
    const portable = inv.portableBlock(ip);
    if (portable !== undefined) {
      bad(path(), `${ipToString(ip)} is a failover IP of ${server.id} and is also inside portable block ${portable.cidr} of customer ${portable.customer.id}`);
      return false;
    }
    return true;
  };

  f.failover_ips.forEach((fo, i) => addFailover(fo, ['failover_ips', i], null));
  f.blocks.forEach((b, i) => {
    const block = blocks[i];
    if (block !== null && block !== undefined) b.members.forEach((m, j) => addFailover(m, ['blocks', i, 'members', j], block));
  });

  if (f.servers.length === 0 && problems.size === 0) bad(['servers'], 'no server: an inventory lists at least one (a truncated file?)');
  return inv;
}

/** What holds an IP: a router or a single failover IP (said as is), a server (its main IP), a block (a member of it). */
type IpHolder = string | Server | RoutedBlock;

function holderText(h: IpHolder): string {
  if (typeof h === 'string') return h;
  return 'customer' in h ? `the main IP of server ${h.id}` : `a member of block ${h.cidr}`;
}

/** Ranges that share an address, each pair named once (sorted by start, a sweep keeps the one reaching furthest). */
function checkOverlaps(ranges: FileRange[], bad: (path: YamlPath, what: string, see?: Problem['see']) => void): void {
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

function blockText(b: RoutedBlock): string {
  return b.split ? `split block ${b.cidr}` : `block ${b.cidr} of server ${b.server!.id}`;
}

function cidrText(c: Cidr): string {
  return `${ipToString(c.network)}/${c.prefix}`;
}

function describeOwner(o: ReturnType<InventoryIndex['macOwners']['get']> & object): string {
  switch (o.kind) {
    case 'server': return `server ${o.server.id}`;
    case 'virtual-mac': return `the virtual MAC of ${ipToString(o.failover.ip)}`;
    case 'router': return `router ${ipToString(o.router.ip)}`;
  }
}
