import type { CaseId, Verdict } from '../classify/verdict.js';

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

export type IncidentChangeKind = 'opened' | 'updated' | 'resolved';

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
