import readline from 'node:readline/promises';
import { UserError } from '../common/user-error.js';
import { printable } from '../common/printable.js';
import { storedJobId } from '../email/job.js';
import { QueueKeys } from '../email/queue/keys.js';
import { isMaybeSentReason } from '../email/queue/maybe-sent.js';
import { RedisOutcomeTotals } from '../worker/outcome-totals.js';
import { RedisSendClaims } from '../worker/send-claim.js';
import { withQueue, type QueueOpts } from './queue.js';
import type { EmailBullJob } from './queue-jobs.js';

export interface QueueResendOpts extends QueueOpts { yes: boolean }

export interface Asker { isTTY: boolean; ask(question: string): Promise<string> }

const stdinAsker: Asker = {
  isTTY: process.stdin.isTTY === true,
  async ask(q) {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(q);
    } finally {
      rl.close();
    }
  },
};

/**
 * `arpwarden queue resend ID [--yes]`: sends a job's email again, a maybe-sent, failed or completed one: its "sent"
 * marker, claim and attempt record are cleared and the job goes back to the queue with its tries counted afresh.
 * It is a new delivery: its outcome markers are cleared too, so that the workers' totals count how it ends (once).
 * It may give the customer a second copy, so it asks first; with stdin not a terminal, --yes says it.
 */
export async function queueResendCommand(id: string, opts: QueueResendOpts, out: NodeJS.WritableStream = process.stdout, asker: Asker = stdinAsker): Promise<number> {
  const jobId = storedJobId(id);
  if (!opts.yes && !asker.isTTY) throw new UserError(`queue resend ${printable(jobId)}: the customer may get a second copy; add --yes to resend (stdin is not a terminal to ask)`);
  return withQueue(opts, 'queue resend', async (queue, config, redis) => {
    const job = (await queue.getJob(jobId)) as EmailBullJob | undefined;
    if (job === undefined) throw new UserError(`queue resend: no job ${printable(jobId)} on ${config.queue.name}`);
    const state = await job.getState();
    if (state !== 'failed' && state !== 'completed') {
      throw new UserError(`queue resend: job ${printable(jobId)} is ${state}: it will be sent (or is being sent) without a resend`);
    }
    const to = job.data?.customer?.email ?? '?';
    const what = state === 'completed' ? 'completed' : isMaybeSentReason(job.failedReason) ? 'maybe sent' : 'failed';
    if (!opts.yes) {
      const answer = await asker.ask(`resend ${jobId} (${what}) to ${printable(to)}? [y/N] `);
      if (!/^y(es)?$/i.test(answer.trim())) {
        out.write('not resent\n');
        return 1;
      }
    }
    const keys = new QueueKeys(config.queue.name);
    // the totals' markers are the stored id's, as the worker counts them (job.id)
    await new RedisOutcomeTotals(redis, keys, 0).forget(jobId);
    await new RedisSendClaims(redis, keys, 0, 0).forget(job.data.jobId);
    await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
    out.write(`resending ${jobId} (${what}) to ${printable(to)}: its sent marker cleared\n`);
    return 0;
  });
}
