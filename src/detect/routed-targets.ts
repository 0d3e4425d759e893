import type { InventoryIndex } from '../inventory/inventory-index.js';

/**
 * Which /24s hold a routed address (a failover IP, or part of a routed block), one bit each (2 MiB): a question's
 * target outside them is not routed without probing the failover map (a cache miss a question). Most questions ask
 * for a gateway or a server, in /24s with no failover. Built from the index's public maps; rebuilt with the roles.
 */
export class RoutedTargets {
  private readonly bits = new Uint32Array(1 << 19);

  constructor(inv: InventoryIndex) {
    this.rebuild(inv);
  }

  rebuild(inv: InventoryIndex): void {
    const bits = this.bits;
    bits.fill(0);
    const ips = inv.failovers.ips();
    for (let i = 0; i < ips.length; i++) this.mark(ips[i] >>> 8);
    for (const b of inv.blocks.values()) for (let n = b.range.network >>> 8, last = b.range.broadcast >>> 8; n <= last; n++) this.mark(n);
  }

  private mark(n24: number): void {
    this.bits[n24 >>> 5] |= 1 << (n24 & 31);
  }

  /** False when no routed address shares the /24 of `ip` (uint32 or int32): isRoutedTarget is false then. */
  mayHold(ip: number): boolean {
    const n24 = ip >>> 8;
    return (this.bits[n24 >>> 5] & (1 << (n24 & 31))) !== 0;
  }
}
