import { SignalKind } from '../detect/signal.js';
import type { CaseRule } from './classify-context.js';

/** Case 1: a failover IP without virtual MAC configured as an alias with a netmask wider than /32 (off-link targets). */
export const aliasNetmask: CaseRule = (c) => {
  const fo = c.failover;
  if (c.signal.kind !== SignalKind.OFF_LINK_TARGET || fo === undefined || fo.virtualMac !== null || fo.block !== null) return false;
  return true;
};
