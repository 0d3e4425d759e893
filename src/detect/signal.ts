import type { ArpPacket } from '../decode/arp-packet.js';
import type { SignalKind } from './signals.js';

export { SIGNAL_COUNT, SIGNAL_NAMES, SignalKind, type SignalName } from './signals.js';

/**
 * A sender's evidence at or past its threshold. One object is reused for every
 * emission: read it in the callback, copy what you keep.
 */
export interface Signal {
  kind: SignalKind;
  /** the sender IP the signal is about */
  ip: number;
  /** the MAC it was seen from, and the one before it (flip-flop), 0 if none */
  mac: number;
  previousMac: number;
  /** distinct MACs seen for this IP while tracked */
  distinctMacs: number;
  vlan: number;
  tsMicros: number;
  /** events of this kind in the current window, and its threshold (a persistent signal may be under it: see periods) */
  count: number;
  threshold: number;
  /** distinct persistence periods with this evidence within the horizon (a persistent signal of a routed sender), else 0 */
  periods: number;
  /** the frame behind it (for an unresolved request, the request itself) */
  packet: Readonly<ArpPacket>;
}

export type SignalSink = (s: Readonly<Signal>) => void;
