import type { Signal } from '../detect/signal.js';
import type { InventoryIndex } from '../inventory/inventory-index.js';
import type { FailoverIp, PortableBlock, RoutedBlock, Server } from '../inventory/model.js';
import type { CaseId, Verdict } from './verdict.js';

/** What every case rule may read: the signal, the inventory, and the sender's role looked up once. */
export interface ClassifyContext {
  signal: Readonly<Signal>;
  inv: InventoryIndex;
  failover: FailoverIp | undefined;
  block: RoutedBlock | undefined;
  portable: PortableBlock | undefined;
  spoofMacs: number;
}

/** One case: a verdict when the signal is this case's evidence, null otherwise. */
export type CaseRule = (c: ClassifyContext) => Verdict | null;

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

export function verdict(c: ClassifyContext, caseId: CaseId, extra: Partial<Verdict> = {}): Verdict {
  const server = extra.server ?? routedServer(c) ?? c.inv.serversByIp.get(c.signal.ip) ?? null;
  const customer = extra.customer ?? c.portable?.customer ?? server?.customer ?? null;
  const muted = (customer?.muted ?? false) || (c.failover?.muted ?? false);
  return {
    caseId,
    ip: c.signal.ip,
    customer,
    server,
    failover: c.failover ?? null,
    block: c.block ?? c.failover?.block ?? null,
    portable: c.portable ?? null,
    staleServer: extra.staleServer ?? null,
    emailable: caseId !== 'noise' && customer !== null && !muted,
  };
}
