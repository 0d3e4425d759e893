import type { Cidr } from '../common/cidr.js';
import type { Customer, FailoverIp, MacOwner, PortableBlock, RoutedBlock, Router, Server } from './model.js';
import { PrefixTable } from './prefix-table.js';

/**
 * The inventory indexed for the hot path: every lookup by IP or MAC is one
 * Map.get, every lookup by containing block at most one per prefix length in use.
 * Built once per load; read-only afterwards (a reload builds a new one).
 */
export class InventoryIndex {
  readonly customers = new Map<string, Customer>();
  readonly servers = new Map<string, Server>();
  readonly serversByIp = new Map<number, Server>();
  readonly failovers = new Map<number, FailoverIp>();
  readonly macOwners = new Map<number, MacOwner>();
  readonly routers = new Map<number, Router>();
  readonly blocks = new PrefixTable<RoutedBlock>();
  readonly portableBlocks = new PrefixTable<PortableBlock>();
  readonly vrack = new PrefixTable<Cidr>();

  isRouterIp(ip: number): boolean {
    return this.routers.has(ip);
  }

  isRouterMac(mac: number): boolean {
    return this.macOwners.get(mac)?.kind === 'router';
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

  /** Is `ip` statically routed to a server (the router never ARPs for it)? */
  isRouted(ip: number): boolean {
    return this.failovers.has(ip) || this.routedBlock(ip) !== undefined;
  }
}
