import type { Cidr } from '../common/cidr.js';
import type { ArpPacket } from '../decode/arp-packet.js';
import type { Customer, FailoverIp, MacOwner, PortableBlock, RoutedBlock, Router, Server } from './model.js';
import { PrefixTable } from './prefix-table.js';
import { IpMap } from '../common/ip-map.js';
import { MacMap } from '../common/mac-map.js';

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
/** The failovers' hot fields, FAILOVER_STRIDE a slot of the failover map (one cache line): virtual MAC (-1 without), the server's MAC, its gateway. */
export const FAILOVER_STRIDE = 4;
export const FO_VMAC = 0;
export const FO_SERVER_MAC = 1;
export const FO_GATEWAY = 2;

/**
 * The inventory indexed for the hot path: every lookup by IP or MAC is one
 * Map.get, every lookup by containing block at most one per prefix length in use.
 * Built once per load; read-only afterwards (a reload builds a new one).
 */
export class InventoryIndex {
  readonly customers = new Map<string, Customer>();
  readonly servers = new Map<string, Server>();
  readonly serversByIp: IpMap<Server>;
  readonly failovers: IpMap<FailoverIp>;
  /** by MAC (classify, per signal; a MacMap: a Map would be handed each MAC boxed); routers' MACs are also in routerMacs */
  readonly macOwners: MacMap<MacOwner>;
  readonly routers = new IpMap<Router>();
  /** the routers' MACs: a handful, scanned on every frame */
  readonly routerMacs: number[] = [];
  readonly blocks = new PrefixTable<RoutedBlock>();
  readonly portableBlocks = new PrefixTable<PortableBlock>();
  readonly vrack = new PrefixTable<Cidr>();

  /** the failovers' hot fields by slot of `failovers` (FAILOVER_STRIDE each), built on first use and again when the map changed */
  private hot = new Float64Array(0);
  private hotVersion = -1;
  private pendingHot: Float64Array<ArrayBuffer> | null = null;
  /** the blocks and portable blocks role codes point to (few: a reverse map keeps one index each) */
  private readonly roleObjects: (RoutedBlock | PortableBlock)[] = [];
  private readonly roleObjectIndex = new Map<RoutedBlock | PortableBlock, number>();

  /** `expected`: the sizes known ahead (a reload's build), so that no table grows (rehashes at once) while it is built */
  constructor(expected: { servers?: number; failovers?: number; macs?: number } = {}) {
    this.serversByIp = new IpMap<Server>(expected.servers);
    this.failovers = new IpMap<FailoverIp>(expected.failovers);
    this.macOwners = new MacMap<MacOwner>(Math.max(1024, expected.macs ?? 0));
  }

  /** The failovers' hot fields (see FAILOVER_STRIDE), current with the failover map. */
  failoverHot(): Float64Array {
    if (this.hotVersion !== this.failovers.version) {
      for (let from = 0; !this.fillFailoverHot(from, this.failovers.capacity); from += this.failovers.capacity);
    }
    return this.hot;
  }

  /**
   * Fills the hot fields of slots [from, from + count) of a table being built; true once the last slot is in (the
   * table is then current). A reload's build calls it a slice at a time: 200,000 failovers at once take tens of ms.
   */
  fillFailoverHot(from: number, count: number): boolean {
    const m = this.failovers;
    if (from === 0 || this.pendingHot === null || this.pendingHot.length !== m.capacity * FAILOVER_STRIDE) this.pendingHot = new Float64Array(m.capacity * FAILOVER_STRIDE);
    const hot = this.pendingHot;
    const to = Math.min(m.capacity, from + count);
    for (let i = from; i < to; i++) {
      const fo = m.valueAt(i);
      if (fo === undefined) continue;
      hot[i * FAILOVER_STRIDE + FO_VMAC] = fo.virtualMac ?? -1;
      hot[i * FAILOVER_STRIDE + FO_SERVER_MAC] = fo.server.mac;
      hot[i * FAILOVER_STRIDE + FO_GATEWAY] = fo.server.gateway;
    }
    if (to < m.capacity) return false;
    this.hot = hot;
    this.hotVersion = m.version;
    this.pendingHot = null;
    return true;
  }

  /**
   * roleOf as one number, for the detector to keep per sender: ROLE_FAILOVER + 4 × the failover's slot,
   * ROLE_BLOCK or ROLE_PORTABLE + 4 × the index roleObject takes, or ROLE_NONE. `ip` as int32 (`ip | 0`).
   */
  roleCode(ip: number): number {
    const slot = this.failovers.slotOf(ip);
    if (slot >= 0) return slot * 4 + ROLE_FAILOVER;
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
    const fo = this.failovers.get(ip);
    out.failover = fo;
    out.block = fo === undefined && this.blocks.size > 0 ? this.unsplitBlockOf(ip) : undefined;
    out.portable = fo === undefined && out.block === undefined && this.portableBlocks.size > 0 ? this.portableBlocks.lookup(ip) : undefined;
  }

  /** isRouted(the frame's target IP), read from the packet (see isProviderFrame). */
  isRoutedTarget(p: Readonly<ArpPacket>): boolean {
    // slotOf, not get: the key alone answers, the value (another cache line) is not read
    return this.failovers.slotOf(p.targetIp | 0) >= 0 || (this.blocks.size > 0 && this.blocks.lookup(p.targetIp | 0) !== undefined);
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
    out.failover = this.failovers.get(ip);
    out.block = out.failover === undefined ? this.unsplitBlock(ip) : undefined;
    out.portable = out.failover === undefined && out.block === undefined ? this.portableBlock(ip) : undefined;
  }

  /** Is `ip` statically routed to a server (the router never ARPs for it)? */
  isRouted(ip: number): boolean {
    return this.failovers.has(ip) || this.routedBlock(ip) !== undefined;
  }
}
