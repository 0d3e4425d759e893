import { SignalKind } from '../detect/signal.js';
import type { CaseRule } from './classify-context.js';

/** Case 2, wrong gateway: a VM with its virtual MAC asks for another gateway than the host server's G. */
export const vmacGateway: CaseRule = (c) => {
  const fo = c.failover;
  if (c.signal.kind !== SignalKind.WRONG_GATEWAY || fo === undefined || fo.virtualMac === null) return false;
  return true;
};

/** Case 2, missing virtual MAC: F has a virtual MAC assigned but is sent from another MAC (not another server's: that is a duplicate). */
export const vmacMissing: CaseRule = (c) => {
  const fo = c.failover;
  const k = c.signal.kind;
  if ((k !== SignalKind.MAC_MISMATCH && k !== SignalKind.FLIP_FLOP) || fo === undefined || fo.virtualMac === null) return false;
  if (c.signal.mac === fo.virtualMac) return false;
  return true;
};
