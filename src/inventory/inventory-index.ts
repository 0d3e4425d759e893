import type { Cidr } from '../common/cidr.js';
import type { ArpPacket } from '../decode/arp-packet.js';
import type { Customer, FailoverIp, MacOwner, PortableBlock, RoutedBlock, Router, Server } from './model.js';
import { PrefixTable } from './prefix-table.js';
import { IpMap } from '../common/ip-map.js';
import { IdTable } from './id-table.js';
import { FailoverTable, MacOwners, ServersByIp, ServerTable } from './index-views.js';
import { type FailoverColumns, failoverColumns, grownFailovers, grownServers, lineStarts, type ServerColumns, serverColumns } from './columns.js';
import { IpRows } from './ip-rows.js';
import { MacRows } from './mac-rows.js';

/** What an IP is, most specific first: a routed single IP, else a member of an unsplit block, else of a portable block. */
export interface IpRole {
  failover: FailoverIp | undefined;
  block: RoutedBlock | undefined;
  portable: PortableBlock | undefined;
}

/** The IP is a customer's routed address: a failover IP, a member of an unsplit block or of a portable block. */
export function isRoutedRole(role: Readonly<IpRole>): boolean {
  return role.failover !== undefined || role.block !== undefined || role.portable !== undefined;
}

/** A sender's role as one number (see InventoryIndex.roleCode): its kind in the low 2 bits, an index above them. */
export const ROLE_NONE = 0;
export const ROLE_FAILOVER = 1;
export const ROLE_BLOCK = 2;
export const ROLE_PORTABLE = 3;
/** The failovers' hot fields, FAILOVER_STRIDE a failover row (one cache line): virtual MAC (-1 without), the server's MAC, its gateway. */
export const FAILOVER_STRIDE = 4;
export const FO_VMAC = 0;
export const FO_SERVER_MAC = 1;
export const FO_GATEWAY = 2;

export type { FailoverColumns, ServerColumns };

/** What a MAC owner code (MacRows) is: its kind in the low 2 bits, the row above them. */
export const MAC_SERVER = 0;
export const MAC_VMAC = 1;
export const MAC_ROUTER = 2;

/**
 * The inventory indexed for the hot path, as columns: the servers and failover IPs in typed arrays by row (IPs and
 * MACs as numbers, references as rows), the IP and MAC tables mapping a key to a row (one probe, no object per
 * entry), and the objects (`Server`, `FailoverIp`, `MacOwner`) made on demand by the accessors that classify,
 * the incidents and the emails use, once per row. Customers, routers and blocks (few) are objects.
 * Built once per load (resolve.ts from the file, compiled.ts from columns); read-only afterwards.
 */
export class InventoryIndex {
  readonly customers = new Map<string, Customer>();
  readonly servers = new ServerTable(this);
  readonly serversByIp = new ServersByIp(this);
  readonly failovers = new FailoverTable(this);
  /** by MAC (classify, per signal); routers' MACs are also in routerMacs */
  readonly macOwners = new MacOwners(this);
  readonly routers = new IpMap<Router>();
  /** the routers' MACs: a handful, scanned on every frame */
  readonly routerMacs: number[] = [];
  readonly blocks = new PrefixTable<RoutedBlock>();
  readonly portableBlocks = new PrefixTable<PortableBlock>();
  readonly vrack = new PrefixTable<Cidr>();

  /** customers by row (the servers' customer column), routers and routed blocks (the failovers' block column) as added */
  readonly customerList: Customer[] = [];
  readonly routerList: Router[] = [];
  readonly blockList: RoutedBlock[] = [];
  /** the columns, rows [0, serverCount) and [0, failoverCount) (longer while resolve.ts builds them) */
  sv: ServerColumns;
  fo: FailoverColumns;
  serverCount = 0;
  failoverCount = 0;
  /** main IP → server row, failover IP → failover row, MAC → owner code (MAC_SERVER + 4 × row, ...) */
  readonly serverRows: IpRows;
  readonly failoverRows: IpRows;
  readonly macRows: MacRows;
  /** where each server's id starts in sv.id (serverCount + 1 entries); while resolve.ts builds: the ids, joined by seal() */
  private idStart: Uint32Array = new Uint32Array(1);
  private ids: string[] | null = null;
  private idRows: IdTable<number> | null = null;
  /** the objects made on demand, by row (or owner code) */
  private readonly madeServers = new Map<number, Server>();
  private readonly madeFailovers = new Map<number, FailoverIp>();
  private readonly madeOwners = new Map<number, MacOwner>();

  /** the failovers' hot fields by failover row (FAILOVER_STRIDE each), built on first use (or by a reload's build slices) */
  private hot = new Float64Array(0);
  private pendingHot: Float64Array<ArrayBuffer> | null = null;
  /** the blocks and portable blocks role codes point to (few: a reverse map keeps one index each) */
  private readonly roleObjects: (RoutedBlock | PortableBlock)[] = [];
  private readonly roleObjectIndex = new Map<RoutedBlock | PortableBlock, number>();

  /**
   * `expected`: the sizes known ahead, so that no table grows (rehashes) while it is built; `columns`: the servers'
   * and failovers' columns taken as they are (compiled.ts: a cache's or a reload's, no copy), their keys then indexed
   * by the builder; without, resolve.ts appends rows.
   */
  constructor(expected: { servers?: number; failovers?: number; macs?: number } = {}, columns?: { servers: ServerColumns; failovers: FailoverColumns }) {
    this.serverRows = new IpRows(expected.servers);
    this.failoverRows = new IpRows(expected.failovers);
    this.macRows = new MacRows(Math.max(1024, expected.macs ?? 0));
    if (columns !== undefined) {
      this.sv = columns.servers;
      this.fo = columns.failovers;
      this.serverCount = this.sv.ip.length;
      this.failoverCount = this.fo.ip.length;
      this.idStart = lineStarts(this.sv.id, this.serverCount);
    } else {
      this.sv = serverColumns(Math.max(16, expected.servers ?? 0));
      this.fo = failoverColumns(Math.max(16, expected.failovers ?? 0));
      this.ids = [];
    }
  }

  // ---- building (resolve.ts, compiled.ts) ----

  addCustomer(c: Customer): number {
    this.customers.set(c.id, c);
    return this.customerList.push(c) - 1;
  }

  addRouter(router: Router): void {
    this.routers.set(router.ip, router);
    const row = this.routerList.push(router) - 1;
    if (!this.routerMacs.includes(router.mac)) this.routerMacs.push(router.mac);
    if (!this.macRows.has(router.mac)) this.macRows.set(router.mac, row * 4 + MAC_ROUTER);
  }

  /** A routed block: its index (the failovers' block column), or -1 when its range was there already (then it replaces it in `blocks`). */
  addBlock(b: RoutedBlock): number {
    if (this.blocks.add(b.range, b) !== undefined) return -1;
    return this.blockList.push(b) - 1;
  }

  /** A server's row, its columns written (resolve.ts); its IP and MAC are indexed by the caller once claimed. */
  appendServer(id: string, customer: number, ip: number, mac: number, gateway: number, vlan: number): number {
    const row = this.appendServerRow(customer, ip, mac, gateway, vlan);
    this.ids!.push(id);
    return row;
  }

  /** A server's row without its id: a builder that keeps the ids apart (stream-resolve.ts, as bytes) gives them all to setServerIds. */
  appendServerRow(customer: number, ip: number, mac: number, gateway: number, vlan: number): number {
    const row = this.serverCount++;
    if (row === this.sv.ip.length) this.sv = grownServers(this.sv, row * 2);
    const c = this.sv;
    c.customer[row] = customer;
    c.ip[row] = ip;
    c.mac[row] = mac;
    c.gateway[row] = gateway;
    c.vlan[row] = vlan;
    return row;
  }

  /** Every server's id, joined by "\n" in row order, from a builder that appended the rows without them: before any server is read. */
  setServerIds(joined: string): void {
    this.ids = null;
    this.sv = { ...this.sv, id: joined };
    this.idStart = lineStarts(joined, this.serverCount);
  }

  /** A failover's row, its columns written (resolve.ts); its IP and virtual MAC are indexed by the caller. */
  appendFailover(ip: number, server: number, vmac: number, block: number, muted: boolean): number {
    const row = this.failoverCount++;
    if (row === this.fo.ip.length) this.fo = grownFailovers(this.fo, row * 2);
    const c = this.fo;
    c.ip[row] = ip;
    c.server[row] = server;
    c.vmac[row] = vmac;
    c.block[row] = block;
    c.muted[row] = muted ? 1 : 0;
    return row;
  }

  setFailoverIp(ip: number, row: number): void {
    this.failoverRows.set(ip, row);
  }

  /** resolve.ts is done: the ids joined into their column (unless setServerIds gave it), the columns cut to their rows (views, no copy). */
  seal(): void {
    const n = this.serverCount;
    if (this.ids !== null) this.setServerIds(this.ids.join('\n'));
    const s = this.sv;
    this.sv = { id: s.id, customer: s.customer.subarray(0, n), ip: s.ip.subarray(0, n), mac: s.mac.subarray(0, n), gateway: s.gateway.subarray(0, n), vlan: s.vlan.subarray(0, n) };
    const f = this.fo;
    const m = this.failoverCount;
    this.fo = { ip: f.ip.subarray(0, m), server: f.server.subarray(0, m), vmac: f.vmac.subarray(0, m), block: f.block.subarray(0, m), muted: f.muted.subarray(0, m) };
  }

  // ---- rows as objects (per incident, never per frame) ----

  serverId(row: number): string {
    return this.ids !== null ? this.ids[row] : this.sv.id.slice(this.idStart[row], this.idStart[row + 1] - 1);
  }

  /** The row of a server id, or -1 (the table of ids is built on the first call: only tools and tests ask). */
  serverRowOfId(id: string): number {
    if (this.idRows === null || this.idRows.size !== this.serverCount) {
      const t = new IdTable<number>(this.serverCount);
      for (let row = 0; row < this.serverCount; row++) t.add(this.serverId(row), row);
      this.idRows = t;
    }
    return this.idRows.get(id) ?? -1;
  }

  serverAt(row: number): Server {
    let s = this.madeServers.get(row);
    if (s === undefined) {
      const c = this.sv;
      s = { id: this.serverId(row), customer: this.customerList[c.customer[row]], ip: c.ip[row], mac: c.mac[row], gateway: c.gateway[row], vlan: c.vlan[row] < 0 ? null : c.vlan[row] };
      this.madeServers.set(row, s);
    }
    return s;
  }

  failoverAt(row: number): FailoverIp {
    let f = this.madeFailovers.get(row);
    if (f === undefined) {
      const c = this.fo;
      f = { ip: c.ip[row], server: this.serverAt(c.server[row]), virtualMac: c.vmac[row] < 0 ? null : c.vmac[row], block: c.block[row] < 0 ? null : this.blockList[c.block[row]], muted: c.muted[row] === 1 };
      this.madeFailovers.set(row, f);
    }
    return f;
  }

  macOwnerAt(code: number): MacOwner {
    let o = this.madeOwners.get(code);
    if (o === undefined) {
      const row = code >>> 2;
      const kind = code & 3;
      o = kind === MAC_SERVER ? { kind: 'server', server: this.serverAt(row) }
        : kind === MAC_VMAC ? { kind: 'virtual-mac', failover: this.failoverAt(row) } : { kind: 'router', router: this.routerList[row] };
      this.madeOwners.set(code, o);
    }
    return o;
  }

  /** How many failover IPs have a virtual MAC. */
  virtualMacCount(): number {
    let n = 0;
    for (let row = 0; row < this.failoverCount; row++) if (this.fo.vmac[row] >= 0) n++;
    return n;
  }

  // ---- the hot path ----

  /** The failovers' hot fields (see FAILOVER_STRIDE), one row per failover row. */
  failoverHot(): Float64Array {
    if (this.hot.length !== this.failoverCount * FAILOVER_STRIDE) {
      const step = Math.max(1, this.failoverCount);
      for (let from = 0; !this.fillFailoverHot(from, step); from += step);
    }
    return this.hot;
  }

  /**
   * Fills the hot fields of rows [from, from + count) of a table being built; true once the last row is in (the
   * table is then current). A reload's build calls it a slice at a time: 200,000 failovers at once take ms.
   */
  fillFailoverHot(from: number, count: number): boolean {
    const n = this.failoverCount;
    if (from === 0 || this.pendingHot === null || this.pendingHot.length !== n * FAILOVER_STRIDE) this.pendingHot = new Float64Array(n * FAILOVER_STRIDE);
    const hot = this.pendingHot;
    const to = Math.min(n, from + count);
    const fo = this.fo;
    const sv = this.sv;
    for (let i = from; i < to; i++) {
      const s = fo.server[i];
      hot[i * FAILOVER_STRIDE + FO_VMAC] = fo.vmac[i];
      hot[i * FAILOVER_STRIDE + FO_SERVER_MAC] = sv.mac[s];
      hot[i * FAILOVER_STRIDE + FO_GATEWAY] = sv.gateway[s];
    }
    if (to < n) return false;
    this.hot = hot;
    this.pendingHot = null;
    return true;
  }

  /**
   * roleOf as one number, for the detector to keep per sender: ROLE_FAILOVER + 4 × the failover's row (failoverHot's index),
   * ROLE_BLOCK or ROLE_PORTABLE + 4 × the index roleObject takes, or ROLE_NONE. `ip` as int32 (`ip | 0`).
   */
  roleCode(ip: number): number {
    const row = this.failoverRows.rowOf(ip);
    if (row >= 0) return row * 4 + ROLE_FAILOVER;
    const block = this.blocks.size > 0 ? this.unsplitBlockOf(ip) : undefined;
    if (block !== undefined) return this.roleObjectOf(block) * 4 + ROLE_BLOCK;
    const pb = this.portableBlocks.size > 0 ? this.portableBlocks.lookup(ip) : undefined;
    if (pb !== undefined) return this.roleObjectOf(pb) * 4 + ROLE_PORTABLE;
    return ROLE_NONE;
  }

  /** The block or portable block of a role code's index. */
  roleObject(index: number): RoutedBlock | PortableBlock {
    return this.roleObjects[index];
  }

  private roleObjectOf(o: RoutedBlock | PortableBlock): number {
    let i = this.roleObjectIndex.get(o);
    if (i === undefined) {
      i = this.roleObjects.length;
      this.roleObjects.push(o);
      this.roleObjectIndex.set(o, i);
    }
    return i;
  }

  isRouterIp(ip: number): boolean {
    return this.routers.has(ip);
  }

  isRouterMac(mac: number): boolean {
    const macs = this.routerMacs;
    for (let i = 0; i < macs.length; i++) if (macs[i] === mac) return true;
    return false;
  }

  /**
   * The provider's own gateways, vRack, probes and unaddressed frames: never a customer's noise.
   * The per-frame calls below take the packet and read its fields in place: an IP above 2^31 or a
   * MAC passed as an argument to a call that V8 does not inline is boxed (an allocation per frame);
   * IPs go on as `ip | 0` (the int32 of the same bits, which IpMap and PrefixTable take): never boxed.
   */
  isProviderFrame(p: Readonly<ArpPacket>): boolean {
    if (p.senderIp === 0) return true;
    const macs = this.routerMacs;
    for (let i = 0; i < macs.length; i++) if (macs[i] === p.senderMac) return true;
    if (this.routers.get(p.senderIp | 0) !== undefined) return true;
    return this.vrack.size > 0 && (this.vrack.lookup(p.senderIp | 0) !== undefined || this.vrack.lookup(p.targetIp | 0) !== undefined);
  }

  /** roleOf(the frame's sender IP), read from the packet (see isProviderFrame). */
  roleOfSender(p: Readonly<ArpPacket>, out: IpRole): void {
    this.roleOfInt32(p.senderIp | 0, out);
  }

  /** roleOf(a signal's or a record's IP), read in place (see isProviderFrame). */
  roleOfAddress(a: Readonly<{ ip: number }>, out: IpRole): void {
    this.roleOfInt32(a.ip | 0, out);
  }

  /** roleOf for an IP as int32 (`ip | 0`). */
  private roleOfInt32(ip: number, out: IpRole): void {
    const row = this.failoverRows.rowOf(ip);
    const fo = row < 0 ? undefined : this.failoverAt(row);
    out.failover = fo;
    out.block = fo === undefined && this.blocks.size > 0 ? this.unsplitBlockOf(ip) : undefined;
    out.portable = fo === undefined && out.block === undefined && this.portableBlocks.size > 0 ? this.portableBlocks.lookup(ip) : undefined;
  }

  /** isRouted(the frame's target IP), read from the packet (see isProviderFrame). */
  isRoutedTarget(p: Readonly<ArpPacket>): boolean {
    return this.failoverRows.rowOf(p.targetIp | 0) >= 0 || (this.blocks.size > 0 && this.blocks.lookup(p.targetIp | 0) !== undefined);
  }

  /** isRouted(the frame's sender IP), read from the packet (see isProviderFrame): a reply from a routed IP. */
  isRoutedSender(p: Readonly<ArpPacket>): boolean {
    return this.failoverRows.rowOf(p.senderIp | 0) >= 0 || (this.blocks.size > 0 && this.blocks.lookup(p.senderIp | 0) !== undefined);
  }

  private unsplitBlockOf(ip: number): RoutedBlock | undefined {
    const b = this.blocks.lookup(ip);
    return b !== undefined && !b.split ? b : undefined;
  }

  isVrack(ip: number): boolean {
    return this.vrack.size > 0 && this.vrack.lookup(ip) !== undefined;
  }

  failover(ip: number): FailoverIp | undefined {
    return this.failovers.get(ip);
  }

  /** The unsplit routed block holding `ip` (split blocks are reached through their members). */
  unsplitBlock(ip: number): RoutedBlock | undefined {
    if (this.blocks.size === 0) return undefined;
    const b = this.blocks.lookup(ip);
    return b !== undefined && !b.split ? b : undefined;
  }

  /** Any routed block holding `ip`, split or not. */
  routedBlock(ip: number): RoutedBlock | undefined {
    return this.blocks.size === 0 ? undefined : this.blocks.lookup(ip);
  }

  portableBlock(ip: number): PortableBlock | undefined {
    return this.portableBlocks.size === 0 ? undefined : this.portableBlocks.lookup(ip);
  }

  /** Fills `out` with the role of `ip` (reused by the caller: nothing allocated). */
  roleOf(ip: number, out: IpRole): void {
    out.failover = this.failover(ip);
    out.block = out.failover === undefined ? this.unsplitBlock(ip) : undefined;
    out.portable = out.failover === undefined && out.block === undefined ? this.portableBlock(ip) : undefined;
  }

  /** Is `ip` statically routed to a server (the router never ARPs for it)? */
  isRouted(ip: number): boolean {
    return this.failoverRows.rowOf(ip) >= 0 || this.routedBlock(ip) !== undefined;
  }
}
