import type { Cidr } from '../common/cidr.js';
import { ipToString, macToString } from '../decode/addr.js';
import type { InventoryIndex } from './inventory-index.js';
import type { Customer, FailoverIp, PortableBlock, RoutedBlock, Router, Server } from './model.js';

/** What changed in one list, by key (an id, an IP, a CIDR); `changed` says which fields, old → new. */
export interface Changes {
  added: string[];
  removed: string[];
  changed: { key: string; fields: string[] }[];
}

/** What a reload from `old` to `next` changes. Pure: both inventories are read, never kept. */
export interface InventoryDiff {
  routers: Changes;
  customers: Changes;
  servers: Changes;
  failoverIps: Changes;
  blocks: Changes;
  portableBlocks: Changes;
  vrack: Changes;
  /** the single IPs the inventory names for customers: servers' main IPs and failover IPs (split-block members too) */
  customerIps: { before: number; after: number; added: number; removed: number };
}

export const DIFF_SECTIONS = ['routers', 'customers', 'servers', 'failoverIps', 'blocks', 'portableBlocks', 'vrack'] as const;
export type DiffSection = (typeof DIFF_SECTIONS)[number];

export function diffInventories(old: InventoryIndex, next: InventoryIndex): InventoryDiff {
  return {
    routers: diffBy(byIp(old.routers.list()), byIp(next.routers.list()), (r) => ipToString(r.ip), routerFields),
    customers: diffBy([...old.customers.values()], [...next.customers.values()], (c) => c.id, customerFields),
    servers: diffBy([...old.servers.values()], [...next.servers.values()], (s) => s.id, serverFields),
    failoverIps: diffBy(byIp(old.failovers.list()), byIp(next.failovers.list()), (f) => ipToString(f.ip), failoverFields),
    blocks: diffBy(blocksOf(old), blocksOf(next), (b) => b.cidr, blockFields),
    portableBlocks: diffBy(portablesOf(old), portablesOf(next), (p) => p.cidr, portableFields),
    vrack: diffBy(vrackOf(old), vrackOf(next), (c) => c, () => ({})),
    customerIps: diffIps(customerIps(old), customerIps(next)),
  };
}

/** The share of the old inventory's customer IPs that the new one no longer has, in percent (0 when there were none). */
export function removedPercent(d: InventoryDiff): number {
  return d.customerIps.before === 0 ? 0 : (100 * d.customerIps.removed) / d.customerIps.before;
}

/** One line for the reload log: `customers +1 -0, servers +0 -0, IPs +3 -1`. */
export function reloadSummary(d: InventoryDiff): string {
  const pm = (a: number, r: number): string => `+${a} -${r}`;
  return `customers ${pm(d.customers.added.length, d.customers.removed.length)}, servers ${pm(d.servers.added.length, d.servers.removed.length)}, `
    + `IPs ${pm(d.customerIps.added, d.customerIps.removed)}`;
}

export function isEmptyDiff(d: InventoryDiff): boolean {
  return DIFF_SECTIONS.every((s) => d[s].added.length + d[s].removed.length + d[s].changed.length === 0);
}

type Fields = Record<string, string>;

function diffBy<T>(old: readonly T[], next: readonly T[], key: (x: T) => string, fields: (x: T) => Fields): Changes {
  const before = new Map(old.map((x) => [key(x), x]));
  const out: Changes = { added: [], removed: [], changed: [] };
  const seen = new Set<string>();
  for (const x of next) {
    const k = key(x);
    seen.add(k);
    const prev = before.get(k);
    if (prev === undefined) { out.added.push(k); continue; }
    const a = fields(prev);
    const b = fields(x);
    const changed = Object.keys(b).filter((f) => a[f] !== b[f]).map((f) => `${f} ${a[f]} -> ${b[f]}`);
    if (changed.length > 0) out.changed.push({ key: k, fields: changed });
  }
  for (const k of before.keys()) if (!seen.has(k)) out.removed.push(k);
  return out;
}

const orNone = (v: string | number | null): string => (v === null ? 'none' : String(v));

function routerFields(r: Router): Fields { return { mac: macToString(r.mac) }; }
function customerFields(c: Customer): Fields {
  return { email: c.email, name: JSON.stringify(c.name), locale: c.locale, muted: String(c.muted) };
}
function serverFields(s: Server): Fields {
  return { customer: s.customer.id, ip: ipToString(s.ip), mac: macToString(s.mac), gateway: ipToString(s.gateway), vlan: orNone(s.vlan) };
}
function failoverFields(f: FailoverIp): Fields {
  return { server: f.server.id, virtual_mac: f.virtualMac === null ? 'none' : macToString(f.virtualMac), block: f.block?.cidr ?? 'none', muted: String(f.muted) };
}
function blockFields(b: RoutedBlock): Fields {
  return { split: String(b.split), server: b.server?.id ?? 'none' };
}
function portableFields(p: PortableBlock): Fields { return { customer: p.customer.id, vlan: orNone(p.vlan) }; }

// the IP-keyed tables hash: their entries are listed in address order
function byIp<T extends { ip: number }>(xs: T[]): T[] { return xs.sort((a, b) => a.ip - b.ip); }
function byRange<T extends { range: Cidr }>(xs: T[]): T[] { return xs.sort((a, b) => a.range.network - b.range.network || a.range.prefix - b.range.prefix); }
function blocksOf(inv: InventoryIndex): RoutedBlock[] { return byRange(inv.blocks.values()); }
function portablesOf(inv: InventoryIndex): PortableBlock[] { return byRange(inv.portableBlocks.values()); }
function vrackOf(inv: InventoryIndex): string[] {
  return byRange(inv.vrack.values().map((range) => ({ range }))).map(({ range: c }) => `${ipToString(c.network)}/${c.prefix}`);
}

function customerIps(inv: InventoryIndex): Set<number> {
  const ips = new Set<number>();
  for (const s of inv.servers.values()) ips.add(s.ip);
  for (const f of inv.failovers.list()) ips.add(f.ip);
  return ips;
}

function diffIps(before: Set<number>, after: Set<number>): InventoryDiff['customerIps'] {
  let added = 0;
  let removed = 0;
  for (const ip of after) if (!before.has(ip)) added++;
  for (const ip of before) if (!after.has(ip)) removed++;
  return { before: before.size, after: after.size, added, removed };
}
