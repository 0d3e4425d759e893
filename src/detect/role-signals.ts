import { ROLE_BLOCK, ROLE_FAILOVER, ROLE_NONE, ROLE_PORTABLE } from '../inventory/inventory-index.js';
import type { SenderRole } from './sender-role.js';
import { SIGNALS, SignalKind } from './signals.js';

const ALL = (1 << SIGNALS.length) - 1;
const ROUTED_ONLY = SIGNALS.reduce((m, s, k) => (s.routedOnly ? m | (1 << k) : m), 0);
const bits = (...kinds: number[]): number => kinds.reduce((m, k) => m | (1 << k), 0);

/**
 * The signals whose rule can hold for a sender of each role, as a bit mask by SignalKind: the detector skips the
 * others (their rule returns false for that role whatever the frame). By role kind; index 4 is a failover with a virtual MAC.
 */
const BY_ROLE = (() => {
  const m = new Int32Array(5);
  m[ROLE_NONE] = ALL & ~ROUTED_ONLY;
  // a failover is neither a block nor a portable block; without a virtual MAC it cannot ask from it
  m[ROLE_FAILOVER] = ALL & ~bits(SignalKind.UNUSABLE_ADDRESS, SignalKind.WRONG_GATEWAY);
  // with one, its off-link questions are wrong_gateway's
  m[4] = ALL & ~bits(SignalKind.UNUSABLE_ADDRESS, SignalKind.OFF_LINK_TARGET);
  // an unsplit block has no virtual MAC and no portable gateway
  m[ROLE_BLOCK] = ALL & ~bits(SignalKind.WRONG_GATEWAY);
  // a portable block has no server whose MAC or subnet it could contradict
  m[ROLE_PORTABLE] = ALL & ~bits(SignalKind.MAC_MISMATCH, SignalKind.OFF_LINK_TARGET);
  return m;
})();

/** The signals the rules can count for this role (SenderRole, loaded from the sender's record: no lookup). */
export function roleSignals(role: Readonly<SenderRole>): number {
  return BY_ROLE[role.kind === ROLE_FAILOVER && role.virtualMac >= 0 ? 4 : role.kind];
}

/** The signals whose rule holds only for a question (isQuestion): the detector skips them on any other frame. */
export const QUESTION_ONLY = bits(SignalKind.EXCESSIVE_ARP, SignalKind.UNRESOLVED_ARP, SignalKind.OFF_LINK_TARGET, SignalKind.WRONG_GATEWAY, SignalKind.ROUTED_IP_TARGET);
