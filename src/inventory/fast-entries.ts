/**
 * The two entries that make up nearly all of an inventory (servers, failover IPs), validated without zod when they
 * are plainly valid: the entry line-yaml.ts made is kept as the validated one (its default filled in), instead of
 * zod's copy of it: 300,000 objects and their checks fewer. Anything less plain answers null and goes to the
 * schema (schema.ts), which stays the one definition of what is valid: fast-entries.test.ts pins that whatever
 * is accepted here is what zod gives.
 */
import type { InventoryFile } from './schema.js';

type ServerEntry = InventoryFile['servers'][number];
type FailoverEntry = InventoryFile['failover_ips'][number];

const ID = /^[A-Za-z0-9._-]+$/;
const isId = (v: unknown): v is string => typeof v === 'string' && ID.test(v);

export function fastServer(e: Record<string, unknown>): ServerEntry | null {
  for (const k in e) if (k !== 'id' && k !== 'customer' && k !== 'ip' && k !== 'mac' && k !== 'gateway' && k !== 'vlan') return null;
  const { vlan } = e;
  if (!isId(e.id) || !isId(e.customer) || typeof e.ip !== 'string' || typeof e.mac !== 'string' || typeof e.gateway !== 'string') return null;
  if (vlan !== undefined && !(typeof vlan === 'number' && Number.isInteger(vlan) && vlan >= 0 && vlan <= 4095)) return null;
  return e as ServerEntry;
}

export function fastFailover(e: Record<string, unknown>): FailoverEntry | null {
  for (const k in e) if (k !== 'ip' && k !== 'server' && k !== 'virtual_mac' && k !== 'muted') return null;
  if (typeof e.ip !== 'string' || !isId(e.server)) return null;
  if (e.virtual_mac !== undefined && typeof e.virtual_mac !== 'string') return null;
  if (e.muted === undefined) e.muted = false;
  else if (typeof e.muted !== 'boolean') return null;
  return e as FailoverEntry;
}
