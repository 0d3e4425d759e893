import { SignalKind } from '../detect/signal.js';
import type { Server } from '../inventory/model.js';
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
