import { SignalKind } from '../detect/signal.js';
import type { CaseRule } from './classify-context.js';

/**
 * Noise: excessive or unresolved ARP, or ARP for routed IPs, that fits no customer case. The NOC
 * sees it; no customer is written to. Tried last. Other signals that fit no case (a flip-flop
 * between the allowed MAC and itself, a mismatch from the right server) are nothing wrong.
 */
export const noise: CaseRule = (c) => {
  const k = c.signal.kind;
  return k === SignalKind.EXCESSIVE_ARP || k === SignalKind.UNRESOLVED_ARP || k === SignalKind.ROUTED_IP_TARGET;
};
