import type { Redis } from 'ioredis';
import type { QueueConfig } from '../../config/schema.js';
import { type EmailJob, storedJobId } from '../job.js';
import { type EmailQueue, JOB_NAME, openEmailQueue } from '../queue/email-queue.js';
import { QueueKeys } from '../queue/keys.js';
import { closeRedis, redactUrl, redisReason } from '../queue/redis.js';
import { BoundedPump } from '../../sinks/bounded-pump.js';
import type { EmailTransport, NotifierStats } from './transport.js';

/**
 * The capture daemon's producer: each job added to the BullMQ queue under its own id (a second add
 * of the same incident is a no-op). Works on a connection that may come and go (a `producer` one,
 * which it owns and closes): the BullMQ queue is opened once Redis has answered, and opened again
 * if Redis went away while it was starting.
 */
export class QueueTransport implements EmailTransport<'enqueued'> {
  readonly name = 'queue';
  readonly outcomes = ['enqueued'] as const;
  readonly flushMs: number;
  readonly messages: NonNullable<EmailTransport<'enqueued'>['messages']>;
  private queue: EmailQueue | null = null;
  private queueBroken = false;
  private closing = false;
  /** settles once the connection is ready or has failed for the first time */
  private readonly firstAnswer: Promise<void>;
  /** the resolved incidents' records on their way to Redis (a mute's deferred job reads them) */
  private readonly resolutions: BoundedPump<string>;

  constructor(private readonly redis: Redis, private readonly cfg: QueueConfig, private readonly url: string) {
    this.flushMs = cfg.flush_seconds * 1000;
    this.firstAnswer = redis.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => {
      redis.once('ready', () => resolve());
      redis.once('error', () => resolve());
      redis.once('end', () => resolve());
    });
    const keys = new QueueKeys(cfg.name);
    const keepSeconds = Math.round(cfg.keep_days * 86400);
    this.resolutions = new BoundedPump<string>({
      capacity: cfg.buffer,
      handle: async (incidentId) => {
        await this.firstAnswer;
        await this.redis.set(keys.resolved(incidentId), '1', 'EX', keepSeconds);
      },
    });
    const at = `email queue: redis ${redactUrl(url)}`;
    this.messages = {
      down: (e: unknown, capacity: number) => `${at}: ${redisReason(e)}; holding jobs (at most ${capacity}) and retrying`,
      back: (held: number) => `${at} is back${held === 0 ? '' : `; ${held} more held ${held === 1 ? 'job follows' : 'jobs follow'}`}`,
      lost: (left: number) => `email queue: ${left} jobs could not be handed to Redis before exit (dropped)`,
    };
  }

  /** Throws when Redis cannot be reached; adding the same job again is always safe. */
  async deliver(job: EmailJob): Promise<'enqueued'> {
    // the first job waits for the first connection's outcome: a Redis that is up is no outage
    await this.firstAnswer;
    await this.openQueue().add(JOB_NAME, job, { jobId: storedJobId(job.jobId) });
    return 'enqueued';
  }

  resolved(incidentId: string): void {
    this.resolutions.push(incidentId);
  }

  watch(onDown: (err: unknown) => void, onUp: () => void): void {
    this.redis.on('error', (e: unknown) => {
      if (!this.closing) onDown(e);
    });
    this.redis.on('ready', () => {
      if (!this.closing) onUp();
    });
  }

  report(s: NotifierStats<'enqueued'>): string {
    return `emails: ${s.enqueued} enqueued on ${this.cfg.name} at ${redactUrl(this.url)} (cooldown ${s.cooldown}, muted ${s.muted}, dropped ${s.dropped})`;
  }

  describe(): Record<string, string> {
    return { name: this.cfg.name };
  }

  /** Closes the queue, then the connection. */
  async close(): Promise<void> {
    // Redis away at exit: the records are not worth a longer wait than the jobs got
    await this.resolutions.close(this.redis.status === 'ready' ? this.flushMs : 0);
    this.closing = true;
    await this.queue?.close().catch(() => {});
    this.queue = null;
    await closeRedis(this.redis);
  }

  private openQueue(): EmailQueue {
    if (this.queue === null || this.queueBroken) {
      void this.queue?.close().catch(() => {});
      const q = openEmailQueue(this.redis, this.cfg);
      this.queue = q;
      this.queueBroken = false;
      // BullMQ reads the server's version once at start; if the connection dropped right then, that queue never recovers
      q.waitUntilReady().catch(() => {
        if (this.queue === q) this.queueBroken = true;
      });
    }
    return this.queue;
  }
}
