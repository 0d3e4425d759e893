import { SignalKind } from '../detect/signal.js';
import type { Server } from '../inventory/model.js';
import type { Verdict } from './verdict.js';
import { type ClassifyContext, type CaseRule, routedServer, serverOfMac } from './classify-context.js';

/**
 * Duplicate: the IP is seen from the NIC (or a virtual MAC) of a server it is
 * not routed to: left configured on the old server after a reroute. For an IP
 * outside the inventory, two MACs taking turns: an address conflict (NOC only).
 */
export const duplicateIp: CaseRule = (c) => {
  const s = c.signal;
  if (s.kind !== SignalKind.MAC_MISMATCH && s.kind !== SignalKind.FLIP_FLOP) return false;
  if (routedServer(c) === null) return s.kind === SignalKind.FLIP_FLOP && c.portable === undefined;
  return staleServerOf(c) !== null;
};

/** The server, other than the one the IP is routed to, whose MAC the IP was seen from. */
export function staleServerOf(c: ClassifyContext): Server | null {
  const s = c.signal;
  const routed = routedServer(c);
  // the two MACs one after the other, not as an array: this runs for every signal
  const owner = s.mac === 0 ? null : serverOfMac(c, s.mac);
  if (owner !== null && owner !== routed) return owner;
  const previous = s.previousMac === 0 ? null : serverOfMac(c, s.previousMac);
  return previous !== null && previous !== routed ? previous : null;
}

/**
 * A duplicate's verdict beyond the usual: the server to clean. An address the inventory routes to no server (a
 * server's main IP taken by another host, bonding's second NIC, an unknown address) has no server it was left on
 * and no reroute to undo: an address conflict for the NOC, not an email. A main IP's server and customer stay named
 * for the NOC; as an email it told the customer to remove their main IP from the very server it belongs to.
 */
export function duplicateExtra(c: ClassifyContext): Partial<Verdict> {
  return routedServer(c) === null ? { staleServer: null, emailable: false } : { staleServer: staleServerOf(c) };
}
