import type { Signal } from '../detect/signal.js';
import type { InventoryIndex, IpRole } from '../inventory/inventory-index.js';
import type { Server } from '../inventory/model.js';

/** What every case rule may read: the signal, the inventory, and the sender's role looked up once. */
export interface ClassifyContext extends IpRole {
  signal: Readonly<Signal>;
  inv: InventoryIndex;
  spoofMacs: number;
}

/** Fills a reused context for one signal (the sender's role looked up once). */
export function fillContext(c: ClassifyContext, signal: Readonly<Signal>, inv: InventoryIndex): ClassifyContext {
  c.signal = signal;
  c.inv = inv;
  inv.roleOfAddress(signal, c); // the signal, not its IP: an IP argument is boxed
  return c;
}

/** One case's decision: is the signal this case's evidence? Allocates nothing: it runs for every signal. */
export type CaseRule = (c: ClassifyContext) => boolean;

/** The server a MAC belongs to (its NIC, or a virtual MAC assigned to one of its failover IPs). */
export function serverOfMac(c: ClassifyContext, mac: number): Server | null {
  const o = c.inv.macOwners.get(mac);
  if (o === undefined) return null;
  if (o.kind === 'server') return o.server;
  if (o.kind === 'virtual-mac') return o.failover.server;
  return null;
}

/** The server an IP is routed to, per the inventory. */
export function routedServer(c: ClassifyContext): Server | null {
  return c.failover?.server ?? c.block?.server ?? null;
}
