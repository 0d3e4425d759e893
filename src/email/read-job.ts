import type { EmailJob } from './job.js';

/**
 * A job as it came back from Redis: the fields the worker relies on, or null. A job queued before
 * the evidence carried targets, MACs and VLANs (still version 1) gets empty lists: it renders, with
 * less said about the samples, rather than failing after an upgrade.
 */
export function readEmailJob(data: unknown): EmailJob | null {
  const j = data as Partial<EmailJob> | null;
  if (j === null || typeof j !== 'object' || j.version !== 1 || typeof j.jobId !== 'string' || typeof j.ip !== 'string'
    || typeof j.caseId !== 'string' || typeof j.customer?.email !== 'string' || typeof j.customer.id !== 'string'
    || typeof j.evidence !== 'object' || j.evidence === null || j.remediation === undefined) {
    return null;
  }
  const ev: Partial<EmailJob['evidence']> = j.evidence;
  return {
    ...(j as EmailJob),
    evidence: { ...(j.evidence as EmailJob['evidence']), targets: ev.targets ?? [], macs: ev.macs ?? [], vlans: ev.vlans ?? [] },
  };
}
