import type { Cidr } from '../common/cidr.js';
import { ipToString, macToString } from '../decode/addr.js';
import type { InventoryIndex } from './inventory-index.js';
import type { Customer, PortableBlock, RoutedBlock, Router } from './model.js';

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
    routers: diffBy(listing(byIp(old.routers.list()), (r) => ipToString(r.ip), routerFields), listing(byIp(next.routers.list()), (r) => ipToString(r.ip), routerFields)),
    customers: diffBy(listing(old.customerList, (c) => c.id, customerFields), listing(next.customerList, (c) => c.id, customerFields)),
    servers: diffBy(servers(old), servers(next)),
    failoverIps: diffBy(failovers(old), failovers(next)),
    blocks: diffBy(listing(blocksOf(old), (b) => b.cidr, blockFields), listing(blocksOf(next), (b) => b.cidr, blockFields)),
    portableBlocks: diffBy(listing(portablesOf(old), (p) => p.cidr, portableFields), listing(portablesOf(next), (p) => p.cidr, portableFields)),
    vrack: diffBy(listing(vrackOf(old), (c) => c, () => ({})), listing(vrackOf(next), (c) => c, () => ({}))),
    customerIps: diffIps(old, next),
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

/** One side's list: its entries (objects, or an index's rows), each one's key and its fields as text. */
interface Listing<T> { items: ArrayLike<T>; key: (x: T) => string; fields: (x: T) => Fields }
const listing = <T>(items: ArrayLike<T>, key: (x: T) => string, fields: (x: T) => Fields): Listing<T> => ({ items, key, fields });

function diffBy<T>(old: Listing<T>, next: Listing<T>): Changes {
  const before = new Map<string, T>();
  for (let i = 0; i < old.items.length; i++) before.set(old.key(old.items[i]), old.items[i]);
  const out: Changes = { added: [], removed: [], changed: [] };
  const seen = new Set<string>();
  for (let i = 0; i < next.items.length; i++) {
    const x = next.items[i];
    const k = next.key(x);
    seen.add(k);
    const prev = before.get(k);
    if (prev === undefined) { out.added.push(k); continue; }
    const a = old.fields(prev);
    const b = next.fields(x);
    const changed = Object.keys(b).filter((f) => a[f] !== b[f]).map((f) => `${f} ${a[f]} -> ${b[f]}`);
    if (changed.length > 0) out.changed.push({ key: k, fields: changed });
  }
  for (const k of before.keys()) if (!seen.has(k)) out.removed.push(k);
  return out;
}

/** The servers by row, in the file's order, read from the columns (no Server object made). */
function servers(inv: InventoryIndex): Listing<number> {
  const c = inv.sv;
  return listing(rows(inv.serverCount), (r) => inv.serverId(r), (r) => ({
    customer: inv.customerList[c.customer[r]].id, ip: ipToString(c.ip[r]), mac: macToString(c.mac[r]), gateway: ipToString(c.gateway[r]),
    vlan: c.vlan[r] < 0 ? 'none' : String(c.vlan[r]),
  }));
}

/** The failover IPs by row, in address order (the table hashes), read from the columns. */
function failovers(inv: InventoryIndex): Listing<number> {
  const c = inv.fo;
  const order = rows(inv.failoverCount).sort((a, b) => c.ip[a] - c.ip[b]);
  return listing(order, (r) => ipToString(c.ip[r]), (r) => ({
    server: inv.serverId(c.server[r]), virtual_mac: c.vmac[r] < 0 ? 'none' : macToString(c.vmac[r]),
    block: c.block[r] < 0 ? 'none' : inv.blockList[c.block[r]].cidr, muted: String(c.muted[r] === 1),
  }));
}

function rows(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

const orNone = (v: string | number | null): string => (v === null ? 'none' : String(v));

function routerFields(r: Router): Fields { return { mac: macToString(r.mac) }; }
function customerFields(c: Customer): Fields {
  return { email: c.email, name: JSON.stringify(c.name), locale: c.locale, muted: String(c.muted) };
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

/**
 * The customer IPs (servers' main IPs and failover IPs) each side has and the other has not. Within a valid index they
 * are distinct (resolve.ts refuses an IP held twice), so each side's count is the size of its two tables.
 */
function diffIps(old: InventoryIndex, next: InventoryIndex): InventoryDiff['customerIps'] {
  const before = old.serverRows.size + old.failoverRows.size;
  const after = next.serverRows.size + next.failoverRows.size;
  return { before, after, added: missing(next, old), removed: missing(old, next) };
}

/** How many of `a`'s customer IPs `b` has not. */
function missing(a: InventoryIndex, b: InventoryIndex): number {
  const has = (ip: number): boolean => b.serverRows.rowOf(ip) >= 0 || b.failoverRows.rowOf(ip) >= 0;
  let n = 0;
  for (let r = 0; r < a.serverCount; r++) if (a.serverRows.rowOf(a.sv.ip[r]) === r && !has(a.sv.ip[r])) n++;
  for (let r = 0; r < a.failoverCount; r++) if (!has(a.fo.ip[r])) n++;
  return n;
}
