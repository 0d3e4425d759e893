import { SignalKind } from '../detect/signal.js';
import type { CaseRule } from './classify-context.js';

/** Case 1b: a member of a split block, without virtual MAC, with a netmask wider than /32: the failover rules apply. */
export const splitBlock: CaseRule = (c) => {
  const fo = c.failover;
  if (c.signal.kind !== SignalKind.OFF_LINK_TARGET || fo === undefined || fo.virtualMac !== null || fo.block === null) return false;
  return true;
};
