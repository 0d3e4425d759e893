import { isQuestion, type FrameRule } from './rules/rule.js';
import { macMismatch } from './rules/mac-mismatch.js';
import { offLinkTarget } from './rules/off-link-target.js';
import { routedIpTarget } from './rules/routed-ip-target.js';
import { unusableAddress } from './rules/unusable-address.js';
import { wrongGateway } from './rules/wrong-gateway.js';

/** When the detector counts one event of a signal. */
export type SignalTrigger =
  /** on the frame itself, when `match` holds */
  | { readonly on: 'frame'; readonly match: FrameRule }
  /** on a question that `match` holds for, once it has gone unanswered past the reply timeout */
  | { readonly on: 'unanswered'; readonly match: FrameRule }
  /** when the IP is seen from another MAC than the last time */
  | { readonly on: 'mac-change' };

export interface SignalDefinition {
  /** the one name of the signal: configuration threshold key, JSON counts, explain, emails, metrics */
  readonly name: string;
  /** default threshold: events per sliding window, per sender IP */
  readonly threshold: number;
  /** what one event is */
  readonly doc: string;
  readonly trigger: SignalTrigger;
  /** only for senders the inventory routes (failover IP, routed or portable block): the rule is nobody else's business */
  readonly routedOnly: boolean;
  /**
   * wrong by itself when the sender is routed: besides its per-window threshold (bursts), it also counts
   * as evidence once seen in enough distinct periods of the persistence horizon, however slowly
   */
  readonly persistent: boolean;
}

/**
 * Every signal the detector can raise, one line each. The index in this list is the signal's
 * number (SignalKind) on the hot path, and the order in which one event's signals are counted: a
 * case's own evidence (off_link_target) before the generic count of the same event (unresolved_arp),
 * so that when both reach their bar on one unanswered request the case opens, not noise first.
 * Everything else (configuration keys, defaults, names in JSON, explain and metrics) is derived from here. Frame rules live in rules/, one file each.
 */
export const SIGNALS = [
  { name: 'excessive_arp', threshold: 120, doc: 'a request sent by the IP', trigger: { on: 'frame', match: isQuestion }, routedOnly: false, persistent: false },
  { name: 'off_link_target', threshold: 10, doc: '`who-has X tell F` left unanswered, or answered by X\'s host when X is a routed IP, F without virtual MAC, X not its gateway (case 1, 1a, 1b)', trigger: { on: 'unanswered', match: offLinkTarget }, routedOnly: true, persistent: true },
  { name: 'unresolved_arp', threshold: 30, doc: 'a request of the IP that got no reply within the reply timeout', trigger: { on: 'unanswered', match: isQuestion }, routedOnly: false, persistent: true },
  { name: 'wrong_gateway', threshold: 10, doc: '`who-has X tell F` from the virtual MAC, X not the host\'s gateway (case 2); a portable-block VM asking outside its block', trigger: { on: 'frame', match: wrongGateway }, routedOnly: true, persistent: true },
  { name: 'mac_mismatch', threshold: 10, doc: 'F sent from a MAC the inventory does not allow (case 2 vmac-missing, case 3, duplicate)', trigger: { on: 'frame', match: macMismatch }, routedOnly: true, persistent: true },
  { name: 'flip_flop', threshold: 4, doc: 'a change of the MAC the IP is seen from (duplicate)', trigger: { on: 'mac-change' }, routedOnly: false, persistent: false },
  { name: 'unusable_address', threshold: 5, doc: 'a network, gateway or broadcast address used as sender (portable block, case 1a)', trigger: { on: 'frame', match: unusableAddress }, routedOnly: true, persistent: true },
  { name: 'routed_ip_target', threshold: 10, doc: '`who-has F` for a routed IP F: the asker treats it as on-link (noise, unless F\'s own evidence explains it)', trigger: { on: 'frame', match: routedIpTarget }, routedOnly: false, persistent: false },
] as const satisfies readonly SignalDefinition[];

export type SignalName = (typeof SIGNALS)[number]['name'];

/** A signal's number: its index in SIGNALS. */
export type SignalKind = number;

export const SIGNAL_COUNT = SIGNALS.length;

/** The persistent signals' dense index (0..PERSISTENT_COUNT-1) by SignalKind, -1 for the others. */
export const PERSISTENT_INDEX: Int8Array = (() => {
  const out = new Int8Array(SIGNALS.length).fill(-1);
  let n = 0;
  SIGNALS.forEach((s, k) => { if (s.persistent) out[k] = n++; });
  return out;
})();
export const PERSISTENT_COUNT = SIGNALS.filter((s) => s.persistent).length;

/** Names indexed by SignalKind. */
export const SIGNAL_NAMES: readonly SignalName[] = SIGNALS.map((s) => s.name);

/** SignalKind.OFF_LINK_TARGET and so on, for code that names one signal. */
export const SignalKind = Object.freeze(Object.fromEntries(SIGNALS.map((s, i) => [s.name.toUpperCase(), i]))) as {
  readonly [K in SignalName as Uppercase<K>]: SignalKind;
};

/** The signal of a name, or undefined. */
export function signalKindOf(name: string): SignalKind | undefined {
  const i = SIGNAL_NAMES.indexOf(name as SignalName);
  return i < 0 ? undefined : i;
}
