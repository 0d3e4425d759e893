import { type Logger, silentLogger } from '../telemetry/logger.js';
import { DelayedError, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { EmailJob } from '../email/job.js';
import { RedisNotificationPolicy } from '../email/policy/redis-policy.js';
import type { EmailJobResult } from '../email/queue/email-queue.js';
import { QueueKeys } from '../email/queue/keys.js';
import { closeRedis, redisClient, sentinelOf } from '../email/queue/redis.js';
import type { RenderFn } from '../email/render/mail.js';
import { isMaybeSentReason } from '../email/queue/maybe-sent.js';
import { MaybeSentError } from './maybe-sent-error.js';
import { RedisMuteDeferral } from './mute-deferral.js';
import { type OutcomeTotals, RedisOutcomeTotals } from './outcome-totals.js';
import { PermanentEmailError } from './permanent-email-error.js';
import { type ProcessEmailDeps, processEmailJob } from './process-email-job.js';
import { claimMsFor, RedisSendClaims } from './send-claim.js';
import { RedisSentLedger } from './sent-ledger.js';
import { outcomeUnknown, type SmtpSender, smtpSender } from './smtp-transport.js';

/** What came of the jobs this worker ran, by outcome (the stop line, and the tests). */
export interface WorkerCounts {
  sent: number;
  'already-sent': number;
  muted: number;
  'muted-resolved': number;
  /** delayed to a mute's end (each time) */
  deferred: number;
  /** delayed because another worker held the sending claim */
  busy: number;
  'maybe-sent': number;
  /** failed tries (retried or not), maybe-sent ones apart */
  failed: number;
}

export interface EmailWorkerOptions {
  config: Config;
  render: RenderFn;
  log?: Logger;
  /** default: nodemailer over SMTP from `config.smtp` */
  sender?: SmtpSender;
}

/**
 * `arpwarden worker`: a BullMQ Worker on the email queue whose handler is processEmailJob. Up to
 * `smtp.max_connections` jobs at once, `smtp.rate_per_second` emails per second across every
 * worker of the queue, retries with exponential backoff (the job options set by the producer), a
 * job whose worker died handed over after `queue.stalled_seconds`. `close()` lets the jobs being
 * sent finish, then closes the SMTP pool and Redis; calling it again returns the same promise.
 */
export class EmailWorker {
  private readonly redis: Redis;
  private readonly worker: Worker<EmailJob, EmailJobResult, 'email'>;
  private readonly sender: SmtpSender;
  private closing: Promise<void> | null = null;
  readonly counts: WorkerCounts = { sent: 0, 'already-sent': 0, muted: 0, 'muted-resolved': 0, deferred: 0, busy: 0, 'maybe-sent': 0, failed: 0 };

  constructor(opts: EmailWorkerOptions) {
    const { config } = opts;
    const q = config.queue;
    if (q.redis_url === undefined) throw new Error('EmailWorker: queue.redis_url is not set');
    const log = opts.log ?? silentLogger;
    this.redis = redisClient(q.redis_url, 'worker', sentinelOf(q));
    this.sender = opts.sender ?? smtpSender(config.smtp);
    const keys = new QueueKeys(q.name);
    const keepSeconds = Math.round(q.keep_days * 86400);
    const ledger = new RedisSentLedger(this.redis, keys, keepSeconds);
    const policy = new RedisNotificationPolicy(this.redis, keys, config.mute, q.cooldown_hours);
    const claims = new RedisSendClaims(this.redis, keys, claimMsFor(config.smtp.timeout_seconds), keepSeconds);
    const totals = new RedisOutcomeTotals(this.redis, keys, keepSeconds);
    const deps: ProcessEmailDeps = {
      render: opts.render,
      send: (m) => this.sender.send(m),
      outcomeUnknown,
      ledger,
      claims,
      holdEveryMs: Math.max(200, Math.round(claims.claimMs / 4)),
      mutes: new RedisMuteDeferral(this.redis, keys, keepSeconds, (job) => policy.muteState(job)),
      log,
    };
    const stalledMs = Math.round(q.stalled_seconds * 1000);
    this.worker = new Worker<EmailJob, EmailJobResult, 'email'>(q.name, async (job, token) => {
      let outcome;
      try {
        outcome = await processEmailJob(job.data, deps);
      } catch (e) {
        // counted before BullMQ moves the job to the failed set: a worker killed in between runs it again, counted once
        await countFinalFailure(totals, job.id, e, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)).catch(() => {});
        if (e instanceof PermanentEmailError) throw new UnrecoverableError(e.message);
        throw e;
      }
      // a count that cannot be written (Redis away) fails this try: the job runs again and comes to the same outcome
      if (outcome.status === 'muted' || outcome.status === 'muted-resolved') await totals.countOnce(job.id ?? '', outcome.status);
      this.counts[outcome.status === 'wait' ? outcome.why : outcome.status]++;
      if (outcome.status !== 'wait') return outcome;
      // a mute's end, or another worker's claim: waits as a delayed job (no try used), BullMQ's lock handed back
      await job.moveToDelayed(Math.ceil(outcome.untilMs), token);
      throw new DelayedError(outcome.reason);
    }, {
      connection: this.redis,
      concurrency: config.smtp.max_connections,
      limiter: { max: config.smtp.rate_per_second, duration: 1000 },
      lockDuration: stalledMs,
      stalledInterval: stalledMs,
      // a job whose workers keep dying gets as many chances as one that keeps failing
      maxStalledCount: q.attempts,
    });
    this.worker.on('failed', (job, err) => {
      if (job === undefined) return;
      const attempts = job.opts.attempts ?? 1;
      const final = err instanceof UnrecoverableError || job.attemptsMade >= attempts;
      // a second chance for the count the handler could not write (once per job: a no-op when it did)
      if (final) void totals.countOnce(job.id ?? '', isMaybeSentReason(err.message) ? 'maybe-sent' : 'failed').catch(() => {});
      if (isMaybeSentReason(err.message)) {
        this.counts['maybe-sent']++;
        log.error(`${job.id}: ${err.message.replace(/ID,/, `${job.id},`)}`);
        return;
      }
      this.counts.failed++;
      log[final ? 'error' : 'warn'](`${job.id}: attempt ${job.attemptsMade}/${attempts} failed: ${err.message}${final ? '; failed for good (arpwarden queue retry to try again)' : '; will retry'}`);
    });
    this.worker.on('error', (err) => log.error(`worker: ${err.message}`));
  }

  /** Resolves once the worker is connected and waiting for jobs. */
  async ready(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.worker.close();
      this.sender.close();
      await closeRedis(this.redis);
    })();
    return this.closing;
  }
}

/** A try that failed: counted in the totals when it is the job's last (maybe-sent apart from failed), else nothing. */
function countFinalFailure(totals: OutcomeTotals, jobId: string | undefined, e: unknown, lastTry: boolean): Promise<boolean> {
  if (e instanceof MaybeSentError) return totals.countOnce(jobId ?? '', 'maybe-sent');
  if (e instanceof PermanentEmailError || lastTry) return totals.countOnce(jobId ?? '', 'failed');
  return Promise.resolve(false);
}
