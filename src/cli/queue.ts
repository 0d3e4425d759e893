import type { Job } from 'bullmq';
import { UserError } from '../common/user-error.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { type EmailJob, storedJobId } from '../email/job.js';
import { type EmailJobResult, type EmailQueue, openEmailQueue } from '../email/queue/email-queue.js';
import { closeRedis, redactUrl, redisUserError } from '../email/queue/redis.js';
import { cliRedis } from './queue-access.js';
import { printable } from '../common/printable.js';

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
const FAILED_SHOWN = 20;
const PAGE = 500;

interface QueueOpts { config?: string; format?: 'text' | 'json' }

type EmailBullJob = Job<EmailJob, EmailJobResult, 'email'>;

async function withQueue<T>(opts: QueueOpts, what: string, fn: (q: EmailQueue, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig(opts.config);
  const redis = await cliRedis(config, opts.config, what);
  const queue = openEmailQueue(redis, config.queue);
  try {
    return await fn(queue, config);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw redisUserError(config.queue.redis_url!, e);
  } finally {
    await queue.close().catch(() => {});
    await closeRedis(redis);
  }
}

/** `arpwarden queue status`: the job counts, and the failed jobs with their reason. */
export async function queueStatusCommand(opts: QueueOpts, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  return withQueue(opts, 'queue status', async (queue, config) => {
    const counts = await queue.getJobCounts(...STATES);
    const failed = (await queue.getFailed(0, FAILED_SHOWN - 1)) as EmailBullJob[];
    if (opts.format === 'json') {
      out.write(JSON.stringify({ queue: config.queue.name, counts, failed: failed.map(failedJson) }) + '\n');
      return 0;
    }
    out.write(`queue ${config.queue.name} at ${redactUrl(config.queue.redis_url!)}\n`);
    out.write(`  ${STATES.map((s) => `${s} ${counts[s] ?? 0}`).join('  ')}\n`);
    for (const j of failed) {
      const f = failedJson(j);
      // what Redis holds, and the relay's own words: printed, not obeyed
      out.write(`  failed ${printable(f.id)}  ${printable(f.to)}  tries ${f.attempts}  ${printable(f.reason)}\n`);
    }
    if ((counts.failed ?? 0) > failed.length) out.write(`  ... and ${(counts.failed ?? 0) - failed.length} more failed\n`);
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
      await retry(job);
      out.write(`retrying ${jobId}\n`);
      return 0;
    }
    let n = 0;
    for (;;) {
      // each retried job leaves the failed set: always read the first page
      const page = (await queue.getFailed(0, PAGE - 1)) as EmailBullJob[];
      if (page.length === 0) break;
      for (const j of page) await retry(j);
      n += page.length;
    }
    out.write(`retrying ${n} failed job${n === 1 ? '' : 's'}\n`);
    return 0;
  });
}
