import {
  FAILOVER_STRIDE, FO_GATEWAY, FO_SERVER_MAC, FO_VMAC, type InventoryIndex, ROLE_BLOCK, ROLE_FAILOVER, ROLE_NONE, ROLE_PORTABLE,
} from '../inventory/inventory-index.js';
import type { PortableBlock, RoutedBlock } from '../inventory/model.js';

/**
 * What the inventory says a frame's sender IP is, as the rules read it: loaded per frame from the
 * role code the sender table keeps (InventoryIndex.roleCode) and the failovers' hot fields, one object reused.
 */
export class SenderRole {
  /** ROLE_NONE, ROLE_FAILOVER (a routed single IP: failover / portable IP, or split-block member), ROLE_BLOCK (in an unsplit routed block), ROLE_PORTABLE */
  kind = ROLE_NONE;
  /** a failover's virtual MAC (-1 without), its server's NIC MAC and gateway */
  virtualMac = -1;
  serverMac = 0;
  gateway = 0;
  /** the unsplit routed block holding it */
  block: RoutedBlock | undefined = undefined;
  /** the portable block holding it */
  portable: PortableBlock | undefined = undefined;

  /** The role of a code from InventoryIndex.roleCode, with `hot` = inv.failoverHot(). */
  load(code: number, inv: InventoryIndex, hot: Float64Array): this {
    const kind = code & 3;
    const index = code >>> 2;
    this.kind = kind;
    this.block = undefined;
    this.portable = undefined;
    if (kind === ROLE_FAILOVER) {
      const o = index * FAILOVER_STRIDE;
      this.virtualMac = hot[o + FO_VMAC];
      this.serverMac = hot[o + FO_SERVER_MAC];
      this.gateway = hot[o + FO_GATEWAY];
    } else if (kind === ROLE_BLOCK) {
      this.block = inv.roleObject(index) as RoutedBlock;
    } else if (kind === ROLE_PORTABLE) {
      this.portable = inv.roleObject(index) as PortableBlock;
    }
    return this;
  }

  /** A customer's routed address (isRoutedRole of the inventory's IpRole). */
  get routed(): boolean {
    return this.kind !== ROLE_NONE;
  }
}
