import { type Cidr, contains, parseCidr } from '../common/cidr.js';
import { UserError } from '../common/user-error.js';
import { located, type LocatedYaml, type YamlPath } from '../common/yaml-errors.js';
import { ipToString, macToString, parseIp, parseMac } from '../decode/addr.js';
import { InventoryIndex } from './inventory-index.js';
import type { FailoverIp, RoutedBlock, Server } from './model.js';
import type { InventoryFile } from './schema.js';

/** Turns the validated file into the index, checking every reference and address; all problems are collected, the first is reported with its line. */
export function resolveInventory(y: LocatedYaml, f: InventoryFile): InventoryIndex {
  const inv = new InventoryIndex();
  const problems: string[] = [];
  const bad = (path: YamlPath, what: string): void => { problems.push(located(y, path, what)); };
  const ipAt = (s: string, path: YamlPath): number | null => {
    const v = parseIp(s);
    if (v === null) bad(path, `not an IPv4 address: "${s}"`);
    return v;
  };
  const macAt = (s: string, path: YamlPath): number | null => {
    const v = parseMac(s);
    if (v === null) bad(path, `not a MAC address: "${s}" (six hex bytes, ":" or "-" separated)`);
    return v;
  };
  const cidrAt = (s: string, path: YamlPath): Cidr | null => {
    const c = parseCidr(s);
    if (typeof c === 'string') { bad(path, c); return null; }
    return c;
  };
  /** who already holds an IP, for duplicate checks */
  const ipHolders = new Map<number, string>();
  const claimIp = (ip: number, who: string, path: YamlPath): boolean => {
    const prev = ipHolders.get(ip);
    if (prev !== undefined) { bad(path, `${ipToString(ip)} is already ${prev}`); return false; }
    ipHolders.set(ip, who);
    return true;
  };
  const claimMac = (mac: number, path: YamlPath, owner: Parameters<InventoryIndex['macOwners']['set']>[1], who: string): void => {
    const prev = inv.macOwners.get(mac);
    if (prev !== undefined) { bad(path, `${macToString(mac)} is already the MAC of ${describeOwner(prev)}, cannot also be ${who}`); return; }
    inv.macOwners.set(mac, owner);
  };

  f.routers.forEach((r, i) => {
    const ip = ipAt(r.ip, ['routers', i, 'ip']);
    const mac = macAt(r.mac, ['routers', i, 'mac']);
    if (ip === null || mac === null) return;
    const router = { ip, mac };
    inv.routers.set(ip, router);
    if (!inv.routerMacs.includes(mac)) inv.routerMacs.push(mac);
    claimIp(ip, 'a router', ['routers', i, 'ip']);
    if (!inv.macOwners.has(mac)) inv.macOwners.set(mac, { kind: 'router', router });
  });

  f.customers.forEach((c, i) => {
    if (inv.customers.has(c.id)) return bad(['customers', i, 'id'], `customer "${c.id}" is defined twice`);
    inv.customers.set(c.id, { id: c.id, email: c.email, name: c.name ?? c.id, locale: c.locale, muted: c.muted });
  });

  f.servers.forEach((s, i) => {
    const at = (k: string): YamlPath => ['servers', i, k];
    if (inv.servers.has(s.id)) return bad(at('id'), `server "${s.id}" is defined twice`);
    const customer = inv.customers.get(s.customer);
    if (customer === undefined) return bad(at('customer'), `no customer "${s.customer}" in customers`);
    const ip = ipAt(s.ip, at('ip'));
    const mac = macAt(s.mac, at('mac'));
    const gateway = ipAt(s.gateway, at('gateway'));
    if (ip === null || mac === null || gateway === null) return;
    const server: Server = { id: s.id, customer, ip, mac, gateway, vlan: s.vlan ?? null };
    inv.servers.set(s.id, server);
    if (claimIp(ip, `the main IP of server ${s.id}`, at('ip'))) inv.serversByIp.set(ip, server);
    claimMac(mac, at('mac'), { kind: 'server', server }, `server ${s.id}`);
  });

  const serverAt = (id: string, path: YamlPath): Server | null => {
    const s = inv.servers.get(id);
    if (s === undefined) { bad(path, `no server "${id}" in servers`); return null; }
    return s;
  };
  const addFailover = (m: { ip: string; server: string; virtual_mac?: string; muted: boolean }, path: YamlPath, block: RoutedBlock | null): void => {
    const ip = ipAt(m.ip, [...path, 'ip']);
    const server = serverAt(m.server, [...path, 'server']);
    const vmac = m.virtual_mac === undefined ? null : macAt(m.virtual_mac, [...path, 'virtual_mac']);
    if (ip === null || server === null || (m.virtual_mac !== undefined && vmac === null)) return;
    if (block !== null && !contains(block.range, ip)) return bad([...path, 'ip'], `${m.ip} is not inside the block ${block.cidr}`);
    if (!claimIp(ip, block ? `a member of block ${block.cidr}` : 'a failover IP', [...path, 'ip'])) return;
    const fo: FailoverIp = { ip, server, virtualMac: vmac, block, muted: m.muted };
    inv.failovers.set(ip, fo);
    if (vmac !== null) claimMac(vmac, [...path, 'virtual_mac'], { kind: 'virtual-mac', failover: fo }, `the virtual MAC of ${m.ip}`);
  };

  f.failover_ips.forEach((fo, i) => addFailover(fo, ['failover_ips', i], null));

  f.blocks.forEach((b, i) => {
    const at = (k: string): YamlPath => ['blocks', i, k];
    const range = cidrAt(b.cidr, at('cidr'));
    if (range === null) return;
    let server: Server | null = null;
    if (b.server !== undefined) server = serverAt(b.server, at('server'));
    else if (!b.split) return bad(['blocks', i], `block ${b.cidr} is not split: it needs the "server" it is routed to`);
    if (!b.split && b.members.length > 0) return bad(at('members'), `block ${b.cidr} is not split: members are only for split blocks (split: true)`);
    const block: RoutedBlock = { cidr: b.cidr, range, split: b.split, server };
    if (inv.blocks.add(range, block) !== undefined) return bad(at('cidr'), `block ${b.cidr} is listed twice`);
    b.members.forEach((m, j) => addFailover(m, ['blocks', i, 'members', j], block));
  });

  f.portable_blocks.forEach((p, i) => {
    const at = (k: string): YamlPath => ['portable_blocks', i, k];
    const range = cidrAt(p.cidr, at('cidr'));
    const customer = inv.customers.get(p.customer);
    if (customer === undefined) return bad(at('customer'), `no customer "${p.customer}" in customers`);
    if (range === null) return;
    if (range.prefix > 29) return bad(at('cidr'), `a portable block needs at least 8 addresses (network, gateway, broadcast are unusable): "${p.cidr}"`);
    if (inv.portableBlocks.add(range, { cidr: p.cidr, range, gateway: range.network + 1, customer, vlan: p.vlan ?? null }) !== undefined) {
      bad(at('cidr'), `portable block ${p.cidr} is listed twice`);
    }
  });

  f.vrack.forEach((v, i) => {
    const range = cidrAt(v, ['vrack', i]);
    if (range !== null) inv.vrack.add(range, range);
  });

  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new UserError(problems[0] + more);
  }
  return inv;
}

function describeOwner(o: ReturnType<InventoryIndex['macOwners']['get']> & object): string {
  switch (o.kind) {
    case 'server': return `server ${o.server.id}`;
    case 'virtual-mac': return `the virtual MAC of ${ipToString(o.failover.ip)}`;
    case 'router': return `router ${ipToString(o.router.ip)}`;
  }
}
