import { SignalKind } from '../detect/signal.js';
import type { CaseRule } from './classify-context.js';

/** Case 1a: an unsplit RIPE block used with another netmask than its own (off-link targets, or its network/broadcast used as an address). */
export const blockNetmask: CaseRule = (c) => {
  const k = c.signal.kind;
  if (c.block === undefined || (k !== SignalKind.OFF_LINK_TARGET && k !== SignalKind.UNUSABLE_ADDRESS)) return false;
  return true;
};
