import { SignalKind } from '../detect/signal.js';
import { type CaseRule, routedServer, serverOfMac, verdict } from './classify-context.js';

/**
 * Duplicate: the IP is seen from the NIC (or a virtual MAC) of a server it is
 * not routed to: left configured on the old server after a reroute. For an IP
 * outside the inventory, two MACs taking turns: an address conflict (NOC only).
 */
export const duplicateIp: CaseRule = (c) => {
  const s = c.signal;
  if (s.kind !== SignalKind.MAC_MISMATCH && s.kind !== SignalKind.FLIP_FLOP) return null;
  const routed = routedServer(c);
  if (routed === null) {
    if (s.kind !== SignalKind.FLIP_FLOP || c.portable !== undefined) return null;
    const stale = serverOfMac(c, s.previousMac) ?? serverOfMac(c, s.mac);
    return verdict(c, 'duplicate-ip', { staleServer: stale });
  }
  for (const mac of [s.mac, s.previousMac]) {
    const owner = mac === 0 ? null : serverOfMac(c, mac);
    if (owner !== null && owner !== routed) return verdict(c, 'duplicate-ip', { staleServer: owner });
  }
  return null;
};
