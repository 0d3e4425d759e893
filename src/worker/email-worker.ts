import { type Logger, silentLogger } from '../telemetry/logger.js';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { EmailJob } from '../email/job.js';
import { RedisNotificationPolicy } from '../email/policy/redis-policy.js';
import type { EmailJobResult } from '../email/queue/email-queue.js';
import { QueueKeys } from '../email/queue/keys.js';
import { closeRedis, redisClient, sentinelOf } from '../email/queue/redis.js';
import type { RenderFn } from '../email/render/mail.js';
import { PermanentEmailError } from './permanent-email-error.js';
import { type ProcessEmailDeps, processEmailJob } from './process-email-job.js';
import { RedisSentLedger } from './sent-ledger.js';
import { type SmtpSender, smtpSender } from './smtp-transport.js';

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

  constructor(opts: EmailWorkerOptions) {
    const { config } = opts;
    const q = config.queue;
    if (q.redis_url === undefined) throw new Error('EmailWorker: queue.redis_url is not set');
    const log = opts.log ?? silentLogger;
    this.redis = redisClient(q.redis_url, 'worker', sentinelOf(q));
    this.sender = opts.sender ?? smtpSender(config.smtp);
    const keys = new QueueKeys(q.name);
    const ledger = new RedisSentLedger(this.redis, keys, Math.round(q.keep_days * 86400));
    const policy = new RedisNotificationPolicy(this.redis, keys, config.mute, q.cooldown_hours);
    const deps: ProcessEmailDeps = {
      render: opts.render,
      send: (m) => this.sender.send(m),
      ledger,
      mutedReason: (job) => policy.mutedReason(job),
      log,
    };
    const stalledMs = Math.round(q.stalled_seconds * 1000);
    this.worker = new Worker<EmailJob, EmailJobResult, 'email'>(q.name, async (job) => {
      try {
        return await processEmailJob(job.data, deps);
      } catch (e) {
        if (e instanceof PermanentEmailError) throw new UnrecoverableError(e.message);
        throw e;
      }
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
