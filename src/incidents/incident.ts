import type { CaseId, Verdict } from '../classify/verdict.js';
import type { EvidenceFrames } from './evidence-frames.js';

/** One problem on one IP: opened when its evidence reaches the threshold, resolved after a quiet period. */
export interface Incident {
  /** stable for the same IP, case and opening time: replaying a capture gives the same ids */
  id: string;
  caseId: CaseId;
  ip: number;
  /** the MAC the evidence came from (the latest) and the VLAN */
  mac: number;
  vlan: number;
  verdict: Verdict;
  openedAt: number;
  lastSeen: number;
  resolvedAt: number | null;
  /** events per signal name since the window before opening */
  counts: Record<string, number>;
  /** the first sample frames, as `tcpdump -tttt -nn -e` prints them */
  samples: string[];
  /** what the sample frames hold, as numbers, so nothing downstream re-parses the lines above */
  evidence: IncidentEvidence;
  /** the sample frames themselves (the first as the samples, and the latest), for the evidence pcap; absent on incidents not made by the book */
  frames?: EvidenceFrames;
  /** ids of the NOC-only incidents (noise) on this IP that were folded into this one when its case opened */
  folded: string[];
  /** the incident this one was folded into (then it is neither open nor resolved on its own), or null */
  foldedInto: string | null;
  /** a flood's senders (case `flood`: many NOC-only incidents of one VLAN made one, `ip` 0); null for every other incident */
  flood: FloodSenders | null;
  /**
   * A portable block's incident: the block's addresses (network to broadcast) seen as ARP senders, ascending, up to
   * the last change reported (its email suggests a free address, not one of these). Absent for every other incident.
   */
  blockSenders?: number[];
  /**
   * Set when the persistence rule opened it: its evidence stayed under the window's threshold but came back in
   * `periods` distinct periods of `periodSeconds` within `horizonSeconds` (the email says so, not "N frames in the window").
   */
  openedByPersistence?: OpenedByPersistence;
}

export interface OpenedByPersistence {
  periods: number;
  periodSeconds: number;
  horizonSeconds: number;
}

/** The senders of a flood, bounded however many there are. */
export interface FloodSenders {
  /** distinct senders seen: exact, or a lower bound when `atLeast` (more senders than the tally holds) */
  readonly count: number;
  readonly atLeast: boolean;
  /** when the earliest of its evidence was seen (the first folded incident's opening), µs */
  readonly firstSeen: number;
  /** the senders with the most events, most first (a bounded list) */
  top(): FloodSender[];
}

export interface FloodSender {
  ip: number;
  events: number;
}

/** Distinct values of the sample frames, in the order they first appear. */
export interface IncidentEvidence {
  /** `who-has X` targets of the sample requests */
  targets: number[];
  /** sender MACs of the sample frames (the ARP sender hardware address) */
  senderMacs: number[];
  /** VLAN ids of the sample frames (-1: untagged) */
  vlans: number[];
}

/** `folded`: a NOC-only incident became part of a customer case's incident on the same IP (the NOC sees one incident) */
export type IncidentChangeKind = 'opened' | 'updated' | 'resolved' | 'folded';

export interface IncidentChange {
  kind: IncidentChangeKind;
  incident: Readonly<Incident>;
}

/** Where incident changes go (the email queue, metrics, the web page, the log). Must not block: buffer, drop and count. */
export interface IncidentSink {
  readonly name: string;
  accept(change: IncidentChange): void;
  close(): Promise<void>;
}
