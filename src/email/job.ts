import { createHash } from 'node:crypto';
import type { CustomerCaseId } from '../classify/verdict.js';
import type { Locale } from '../inventory/model.js';

export type { CustomerCaseId };

/**
 * What the capture daemon enqueues for one customer incident, and all the
 * worker needs to write the email: plain JSON (it crosses Redis), the
 * customer's own values already computed, nothing to look up again.
 */
export interface EmailJob {
  version: 1;
  /** one per (customer, IP, case, incident period): the BullMQ job id, so the same incident never mails twice */
  jobId: string;
  incidentId: string;
  caseId: CustomerCaseId;
  customer: { id: string; name: string; email: string; locale: Locale };
  ip: string;
  /** the MAC and VLAN the evidence came from */
  mac: string;
  vlan: number | null;
  /** the server the IP is routed to */
  server: { id: string; ip: string; mac: string; gateway: string } | null;
  /** duplicate-ip: the server the IP is still configured on and must be removed from */
  staleServer: { id: string; ip: string; mac: string } | null;
  /** the values the customer must configure, per case (see Remediation) */
  remediation: Remediation;
  evidence: JobEvidence;
  /**
   * One email per block: the other IPs of the same customer, case and block (or server) whose
   * incidents opened within `email.group_seconds` of this one's, each with its own evidence.
   * Absent or empty: the email is for `ip` alone (every job queued before grouping).
   */
  group?: GroupedIp[];
}

/** Another IP of a grouped email: its own incident, MAC, VLAN, values and evidence. */
export interface GroupedIp {
  incidentId: string;
  ip: string;
  mac: string;
  vlan: number | null;
  remediation: Remediation;
  evidence: JobEvidence;
}

/** Every incident an email is for: its own first, then its group's. */
export const jobIncidentIds = (job: Pick<EmailJob, 'incidentId' | 'group'>): string[] => [job.incidentId, ...(job.group ?? []).map((g) => g.incidentId)];

/** Every IP an email is for, in the same order. */
export const jobIps = (job: Pick<EmailJob, 'ip' | 'group'>): string[] => [job.ip, ...(job.group ?? []).map((g) => g.ip)];

export interface JobEvidence {
  openedAt: string;
  /**
   * When the first sample frame was sent: before `openedAt` when an unanswered request opened the incident (at the
   * end of its reply timeout). The email's period starts at the earlier, so that it holds the frames it shows.
   * Absent in jobs queued before it was carried, and for an incident without its frames.
   */
  firstFrameAt?: string;
  lastSeen: string;
  windowSeconds: number;
  /** events per signal name (off_link_target, unresolved_arp, ...) */
  counts: Record<string, number>;
  /** sample frames as `tcpdump -tttt -nn -e` prints them */
  samples: string[];
  /**
   * What the sample frames hold, distinct, in the order they first appear: `who-has X` targets
   * (dotted), ARP sender MACs (colon-hex), VLAN ids (null: untagged). Jobs queued by an older
   * version lack them; readEmailJob fills in empty lists.
   */
  targets: string[];
  macs: string[];
  vlans: (number | null)[];
  /**
   * Set when the persistence rule opened the incident: the counts stayed under the window's threshold but came
   * back in `periods` distinct periods of `periodSeconds` within `horizonSeconds`. Absent: the window's threshold did.
   */
  persistence?: { periods: number; periodSeconds: number; horizonSeconds: number };
}

/** The customer's own values. Which fields are set depends on the case. */
export interface Remediation {
  /** case 1, 1b: netmask 255.255.255.255, broadcast = the IP, no gateway; 1a: the block's own */
  netmask?: string;
  broadcast?: string;
  /** case 2: the host server's real gateway G; case 3: the host's physical IP M; portable block: its gateway */
  gateway?: string;
  /** case 2: the virtual MAC the VM's interface must carry */
  virtualMac?: string;
  /** 1a, 1b, portable block */
  block?: BlockValues;
}

export interface BlockValues {
  cidr: string; network: string; broadcast: string; netmask: string; split: boolean; firstUsable: string; lastUsable: string;
  /**
   * A portable block: its usable addresses seen as ARP senders (in use), ascending, so that the email suggests one
   * that is not. Absent for the other blocks, and in jobs queued before it was carried.
   */
  inUse?: string[];
}

/** Incidents of the same (customer, IP, case) opened within this period share a job id: two daemons, one email. */
export const JOB_PERIOD_MICROS = 3600e6;

export function emailJobId(customerId: string, ip: string, caseId: string, openedAtMicros: number): string {
  const period = Math.floor(openedAtMicros / JOB_PERIOD_MICROS);
  const h = createHash('sha256').update(`${customerId}|${ip}|${caseId}|${period}`).digest('hex').slice(0, 16);
  return `${caseId}:${ip}:${h}`;
}

/**
 * The job id as BullMQ and the outbox store it: the EmailJob's id with `:` made `_` (BullMQ will
 * refuse `:` in custom ids; file names keep to letters, digits, `.`, `-`, `_`). Case ids and IPv4
 * addresses have no `_`, so the mapping stays one to one.
 */
export function storedJobId(jobId: string): string {
  return jobId.replace(/[^A-Za-z0-9._-]/g, '_');
}
