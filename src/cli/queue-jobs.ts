import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EmailJob } from '../email/job.js';
import type { EmailJobResult, EmailQueue } from '../email/queue/email-queue.js';
import type { QueueKeys } from '../email/queue/keys.js';
import { isMaybeSentReason } from '../email/queue/maybe-sent.js';

export type EmailBullJob = Job<EmailJob, EmailJobResult, 'email'>;

/** The states `queue list` tells apart: BullMQ's, with the maybe-sent jobs out of the failed ones. */
export const LIST_STATES = ['waiting', 'active', 'delayed', 'failed', 'maybe-sent', 'completed'] as const;
export type ListState = (typeof LIST_STATES)[number];

export interface JobRow {
  id: string;
  state: ListState;
  customer: string;
  to: string;
  ip: string;
  case: string;
  /** since it was queued, seconds */
  ageSeconds: number;
  tries: string;
  /** the last error, why it is delayed (a mute, another worker's claim), or what came of a completed one */
  note: string;
}

const PAGE = 500;

/** The jobs of one state, `limit` at most (0: all), newest first; maybe-sent and failed are read from BullMQ's failed set. */
export async function jobsIn(queue: EmailQueue, state: ListState, limit: number): Promise<EmailBullJob[]> {
  if (state !== 'failed' && state !== 'maybe-sent') {
    return (await queue.getJobs([state], 0, limit === 0 ? -1 : limit - 1)) as EmailBullJob[];
  }
  const out: EmailBullJob[] = [];
  for (let start = 0; limit === 0 || out.length < limit; start += PAGE) {
    const page = (await queue.getFailed(start, start + PAGE - 1)) as EmailBullJob[];
    for (const j of page) if (isMaybeSentReason(j.failedReason) === (state === 'maybe-sent') && (limit === 0 || out.length < limit)) out.push(j);
    if (page.length < PAGE) break;
  }
  return out;
}

/** Each delayed job's deferral note (a mute met), or null: one MGET. */
export async function deferredNotes(redis: Redis, keys: QueueKeys, jobs: readonly EmailBullJob[]): Promise<(string | null)[]> {
  if (jobs.length === 0) return [];
  const values = await redis.mget(...jobs.map((j) => keys.deferred(j.data?.jobId ?? '')));
  return values.map((v) => {
    if (v === null) return null;
    const n = JSON.parse(v) as { reason?: string; since?: string };
    return `deferred: ${n.reason ?? 'muted'} (since ${n.since ?? '?'})`;
  });
}

/**
 * Each maybe-sent job's "sent" marker, or null: a worker that lost its claim (Redis away longer than the claim)
 * may write it after another attempt held the job; then the email went, and there is nothing to resend.
 */
export async function sentMarkers(redis: Redis, keys: QueueKeys, jobs: readonly EmailBullJob[]): Promise<(string | null)[]> {
  if (jobs.length === 0) return [];
  const values = await redis.mget(...jobs.map((j) => keys.sent(j.data?.jobId ?? '')));
  return values.map((v) => {
    if (v === null) return null;
    const r = JSON.parse(v) as { messageId?: string; sentAt?: string };
    return `sent after all (${r.messageId ?? '?'} at ${r.sentAt ?? '?'}): nothing to resend`;
  });
}

/** `extra`: a delayed job's deferral note, or a maybe-sent job's sent marker (deferredNotes, sentMarkers) */
export function jobRow(j: EmailBullJob, state: ListState, nowMs: number, extra: string | null): JobRow {
  const d = j.data;
  const r = j.returnvalue as EmailJobResult | null | undefined;
  const completed = r === null || r === undefined ? '' : r.status === 'muted' || r.status === 'muted-resolved' ? `${r.status}: ${r.reason}` : `${r.status} ${r.messageId}`;
  const note = state === 'completed' ? completed : (state === 'delayed' || state === 'maybe-sent') && extra !== null ? extra : (j.failedReason ?? '').split('\n')[0];
  return {
    id: j.id ?? '?',
    state,
    customer: d?.customer?.id ?? '?',
    to: d?.customer?.email ?? '?',
    ip: d?.ip ?? '?',
    case: d?.caseId ?? '?',
    ageSeconds: Math.max(0, Math.round((nowMs - j.timestamp) / 1000)),
    tries: `${j.attemptsMade}/${j.opts.attempts ?? 1}`,
    note,
  };
}

/** 45s, 12m, 3h, 2d */
export function age(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}
