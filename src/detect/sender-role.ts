import { type InventoryIndex, ROLE_BLOCK, ROLE_FAILOVER, ROLE_NONE, ROLE_PORTABLE } from '../inventory/inventory-index.js';
import type { PortableBlock, RoutedBlock } from '../inventory/model.js';
import { ROLE_GATEWAY, ROLE_SERVER_MAC, ROLE_VMAC } from './sender-table.js';

/**
 * What the inventory says a frame's sender IP is, as the rules read it: loaded per frame from the
 * role code the sender table keeps (InventoryIndex.roleCode) and the failover's hot fields copied into
 * the sender's record (sender-table.ts), one object reused.
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

  /** The role of a code from InventoryIndex.roleCode, a failover's fields read from the sender's record (`rec` from `at`, its Float64 view). */
  load(code: number, inv: InventoryIndex, rec: Float64Array, at: number): this {
    const kind = code & 3;
    const index = code >>> 2;
    this.kind = kind;
    this.block = undefined;
    this.portable = undefined;
    if (kind === ROLE_FAILOVER) {
      this.virtualMac = rec[at + ROLE_VMAC];
      this.serverMac = rec[at + ROLE_SERVER_MAC];
      this.gateway = rec[at + ROLE_GATEWAY];
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
