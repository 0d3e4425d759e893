import type { Redis } from 'ioredis';
import type { QueueKeys } from './keys.js';

/**
 * What the workers did with the queue's jobs, counted for good in one Redis hash (`QueueKeys.totals`): the queue's
 * completed set is trimmed after `keep_days` and its failed set emptied by `queue retry`, so neither is a total.
 * Here, beside the queue, so that the worker writes and the capture daemon reads them without importing each other.
 * - sent: the relay accepted it (its 250 after DATA), counted in the script that writes the "sent" marker;
 * - failed: failed for good (a 5xx, every try used, cannot be rendered), maybe-sent ones apart;
 * - maybe-sent: the relay may have it (`queue resend` sends it again);
 * - muted: not sent, the job's customer or IP muted in the configuration; muted-resolved: deferred to a mute's end, its incident
 *   resolved meanwhile.
 * All but sent are counted once per job and outcome (a marker key beside it), so a job run again after a crash is not
 * counted twice. `queue resend` clears the markers with the "sent" one: a new delivery, whose end is counted once more.
 */
export const WORKER_OUTCOMES = ['sent', 'failed', 'maybe-sent', 'muted', 'muted-resolved'] as const;
export type WorkerOutcome = (typeof WORKER_OUTCOMES)[number];

/** The totals as last written, every outcome there (0 before the first). */
export async function readWorkerTotals(redis: Redis, keys: QueueKeys): Promise<Record<WorkerOutcome, number>> {
  const raw = await redis.hgetall(keys.totals());
  const out = {} as Record<WorkerOutcome, number>;
  for (const o of WORKER_OUTCOMES) out[o] = Number(raw[o] ?? 0);
  return out;
}
