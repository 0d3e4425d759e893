import type { Redis } from 'ioredis';
import { UserError } from '../common/user-error.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { storedJobId } from '../email/job.js';
import { type EmailQueue, openEmailQueue } from '../email/queue/email-queue.js';
import { closeRedis, redactUrl, redisUserError } from '../email/queue/redis.js';
import { QueueKeys } from '../email/queue/keys.js';
import { countMaybeSent, isMaybeSentReason } from '../email/queue/maybe-sent.js';
import { cliRedis, operatorConfigFile } from './queue-access.js';
import { deferredNotes, type EmailBullJob, jobsIn } from './queue-jobs.js';
import { printable } from '../common/printable.js';

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
const FAILED_SHOWN = 20;
/** delayed jobs looked at for a deferral note at most */
const DEFERRED_COUNTED = 10_000;

export interface QueueOpts { config?: string; format?: 'text' | 'json' }

/** Runs `fn` on the queue (and its connection) of the configuration; a Redis failure ends as one line. */
export async function withQueue<T>(opts: QueueOpts, what: string, fn: (q: EmailQueue, config: Config, redis: Redis) => Promise<T>): Promise<T> {
  const file = operatorConfigFile(opts.config);
  const config = loadConfig(file);
  const redis = await cliRedis(config, file, what);
  const queue = openEmailQueue(redis, config.queue);
  try {
    return await fn(queue, config, redis);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw redisUserError(config.queue.redis_url!, e);
  } finally {
    await queue.close().catch(() => {});
    await closeRedis(redis);
  }
}

/**
 * `arpwarden queue status`: the job counts (maybe-sent ones apart from the failed, deferred ones among the
 * delayed), and the failed jobs with their reason.
 */
export async function queueStatusCommand(opts: QueueOpts, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  return withQueue(opts, 'queue status', async (queue, config, redis) => {
    const counts = await queue.getJobCounts(...STATES);
    const maybe = await countMaybeSent(queue);
    const delayed = (await queue.getDelayed(0, DEFERRED_COUNTED - 1)) as EmailBullJob[];
    const deferred = (await deferredNotes(redis, new QueueKeys(config.queue.name), delayed)).filter((n) => n !== null).length;
    counts.failed = (counts.failed ?? 0) - maybe;
    const failed = (await queue.getFailed(0, FAILED_SHOWN - 1)) as EmailBullJob[];
    if (opts.format === 'json') {
      out.write(JSON.stringify({ queue: config.queue.name, counts: { ...counts, 'maybe-sent': maybe, deferred }, failed: failed.map(failedJson) }) + '\n');
      return 0;
    }
    out.write(`queue ${config.queue.name} at ${redactUrl(config.queue.redis_url!)}\n`);
    out.write(`  ${STATES.map((s) => `${s} ${counts[s] ?? 0}${s === 'delayed' && deferred > 0 ? ` (${deferred} deferred by a mute)` : ''}`).join('  ')}  maybe-sent ${maybe}\n`);
    for (const j of failed) {
      const f = failedJson(j);
      // what Redis holds, and the relay's own words: printed, not obeyed
      out.write(`  ${isMaybeSentReason(f.reason) ? 'maybe-sent' : 'failed'} ${printable(f.id)}  ${printable(f.to)}  tries ${f.attempts}  ${printable(f.reason)}\n`);
    }
    if (maybe > 0) out.write(`  ${maybe} maybe sent: the relay may have delivered ${maybe === 1 ? 'it' : 'them'}; arpwarden queue list --state maybe-sent, then queue resend ID for those the customer did not get\n`);
    if ((counts.failed ?? 0) + maybe > failed.length) out.write(`  ... and ${(counts.failed ?? 0) + maybe - failed.length} more failed or maybe sent\n`);
    return 0;
  });
}

function failedJson(j: EmailBullJob): { id: string; to: string; attempts: string; reason: string; failedAt: string | null } {
  return {
    id: j.id ?? '?',
    to: j.data?.customer?.email ?? '?',
    attempts: `${j.attemptsMade}/${j.opts.attempts ?? 1}`,
    reason: (j.failedReason ?? '').split('\n')[0],
    failedAt: j.finishedOn === undefined ? null : new Date(j.finishedOn).toISOString(),
  };
}

/** `arpwarden queue retry ID|--all`: failed jobs back to the queue, with their tries counted afresh. */
export async function queueRetryCommand(id: string | undefined, opts: QueueOpts & { all: boolean }, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (id !== undefined && opts.all) throw new UserError(`queue retry: give a job id or --all, not both (job ${id} and --all)`);
  if (id === undefined && !opts.all) throw new UserError('queue retry: give a job id or --all');
  return withQueue(opts, 'queue retry', async (queue) => {
    const retry = (j: EmailBullJob): Promise<void> => j.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    if (id !== undefined) {
      const jobId = storedJobId(id);
      const job = (await queue.getJob(jobId)) as EmailBullJob | undefined;
      if (job === undefined) throw new UserError(`queue retry: no job ${jobId}`);
      const state = await job.getState();
      if (state !== 'failed') throw new UserError(`queue retry: job ${jobId} is ${state}, not failed`);
      if (isMaybeSentReason(job.failedReason)) throw new UserError(`queue retry: job ${jobId} is maybe sent (the relay may have delivered it): arpwarden queue resend ${jobId} once the customer is known not to have it`);
      await retry(job);
      out.write(`retrying ${jobId}\n`);
      return 0;
    }
    // maybe-sent jobs stay (only queue resend sends them): read them all first, then retry the others
    const toRetry = await jobsIn(queue, 'failed', 0);
    for (const j of toRetry) await retry(j);
    const n = toRetry.length;
    const maybe = await countMaybeSent(queue);
    out.write(`retrying ${n} failed job${n === 1 ? '' : 's'}${maybe > 0 ? `; ${maybe} maybe sent left as ${maybe === 1 ? 'it is' : 'they are'} (queue resend ID)` : ''}\n`);
    return 0;
  });
}
