import { SignalKind } from '../detect/signal.js';
import type { CaseRule } from './classify-context.js';

/** Portable block: its network, gateway or broadcast address in use, or a VM on it asking for another gateway than the block's. */
export const portableBlockUnusable: CaseRule = (c) => {
  const k = c.signal.kind;
  if (c.portable === undefined || (k !== SignalKind.UNUSABLE_ADDRESS && k !== SignalKind.WRONG_GATEWAY)) return false;
  return true;
};
