import type { ArpPacket } from '../decode/arp-packet.js';

/** What the detector can observe of a sender IP. Each has a stable snake_case name (JSON, metrics, explain). */
export const SignalKind = {
  /** requests sent, past the excessive threshold */
  EXCESSIVE_ARP: 0,
  /** requests with no reply within the reply timeout */
  UNRESOLVED_ARP: 1,
  /** `who-has X tell F` left unanswered, F without virtual MAC, X not its gateway: a netmask wider than /32 */
  OFF_LINK_TARGET: 2,
  /** `who-has X tell F` from the virtual MAC (or from a portable block address), X not the right gateway */
  WRONG_GATEWAY: 3,
  /** F sent from a MAC the inventory does not allow for it */
  MAC_MISMATCH: 4,
  /** F seen from another MAC than the last time */
  FLIP_FLOP: 5,
  /** a network, gateway or broadcast address used as sender */
  UNUSABLE_ADDRESS: 6,
  /** `who-has F`: the asker treats a routed IP as on-link */
  ROUTED_IP_TARGET: 7,
} as const;
export type SignalKind = (typeof SignalKind)[keyof typeof SignalKind];
export const SIGNAL_COUNT = 8;

export const SIGNAL_NAMES: readonly string[] = [
  'excessive_arp', 'unresolved_arp', 'off_link_target', 'wrong_gateway', 'mac_mismatch', 'flip_flop', 'unusable_address', 'routed_ip_target',
];

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
  /** events of this kind in the current window, and the threshold it reached */
  count: number;
  threshold: number;
  /** the frame behind it (for an unresolved request, the request itself) */
  packet: Readonly<ArpPacket>;
}

export type SignalSink = (s: Readonly<Signal>) => void;
