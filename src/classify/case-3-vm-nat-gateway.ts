import { SignalKind } from '../detect/signal.js';
import { type CaseRule, routedServer } from './classify-context.js';

/**
 * Case 3: an IP routed without virtual MAC is sent from an unknown MAC: a VM
 * bridged onto the segment (usually asking for the server's gateway G) where it
 * should route through the host's physical IP M, or get a virtual MAC.
 */
export const vmNatGateway: CaseRule = (c) => {
  const k = c.signal.kind;
  if (k !== SignalKind.MAC_MISMATCH && k !== SignalKind.FLIP_FLOP) return false;
  const server = routedServer(c);
  if (server === null || (c.failover !== undefined && c.failover.virtualMac !== null)) return false;
  if (c.signal.mac === server.mac) return false;
  return true;
};
