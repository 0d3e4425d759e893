import type { InventoryIndex } from './inventory-index.js';
import type { FailoverIp, MacOwner, Server } from './model.js';

/**
 * The index's servers, failover IPs and MAC owners as the classify, incident and email code reads them: objects
 * made from the columns on demand (by the index, once per row: the same object every time, so two lookups of one
 * server compare equal). Nothing here is on the per-frame path.
 */

/** The servers by id (the order of the file). */
export class ServerTable {
  constructor(private readonly inv: InventoryIndex) {}

  get size(): number {
    return this.inv.serverCount;
  }

  get(id: string): Server | undefined {
    const row = this.inv.serverRowOfId(id);
    return row < 0 ? undefined : this.inv.serverAt(row);
  }

  has(id: string): boolean {
    return this.inv.serverRowOfId(id) >= 0;
  }

  *values(): IterableIterator<Server> {
    for (let row = 0; row < this.inv.serverCount; row++) yield this.inv.serverAt(row);
  }
}

/** The servers by main IP. */
export class ServersByIp {
  constructor(private readonly inv: InventoryIndex) {}

  get size(): number {
    return this.inv.serverRows.size;
  }

  get(ip: number): Server | undefined {
    const row = this.inv.serverRows.rowOf(ip);
    return row < 0 ? undefined : this.inv.serverAt(row);
  }

  has(ip: number): boolean {
    return this.inv.serverRows.rowOf(ip) >= 0;
  }
}

/** The failover IPs (split blocks' members too) by IP. */
export class FailoverTable {
  constructor(private readonly inv: InventoryIndex) {}

  get size(): number {
    return this.inv.failoverRows.size;
  }

  get(ip: number): FailoverIp | undefined {
    const row = this.inv.failoverRows.rowOf(ip);
    return row < 0 ? undefined : this.inv.failoverAt(row);
  }

  has(ip: number): boolean {
    return this.inv.failoverRows.rowOf(ip) >= 0;
  }

  /**
   * The failover IPs (uint32), in the file's order: a view of their column, no object made and no generator stepped
   * (RoutedTargets walks all 200,000 inside a reload's swap). Read it, never write it.
   */
  ips(): Uint32Array {
    return this.inv.fo.ip.subarray(0, this.inv.failoverCount);
  }
}

/** What owns a MAC: a server's NIC, a failover's virtual MAC, a router. */
export class MacOwners {
  constructor(private readonly inv: InventoryIndex) {}

  get size(): number {
    return this.inv.macRows.size;
  }

  get(mac: number): MacOwner | undefined {
    const code = this.inv.macRows.codeOf(mac);
    return code < 0 ? undefined : this.inv.macOwnerAt(code);
  }

  has(mac: number): boolean {
    return this.inv.macRows.codeOf(mac) >= 0;
  }
}
