import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { EmailJob } from '../incidents/email-job.js';
import type { IncidentChange, IncidentSink } from '../incidents/incident.js';
import { EmailEnqueuer } from '../queue/enqueue.js';
import { closeRedis, redactUrl, redisClient, redisReason } from '../queue/redis.js';
import { BoundedPump } from './bounded-pump.js';
import { EmailJobCollector } from './email-job-collector.js';

export interface QueueSinkStats {
  enqueued: number;
  cooldown: number;
  muted: number;
  /** jobs lost: the buffer was full while Redis was away, or still held when close() gave up */
  dropped: number;
  /** failed tries to reach Redis, each followed by a retry */
  retries: number;
  /** jobs held now */
  pending: number;
}

/**
 * The capture daemon's producer: each customer incident becomes one BullMQ job (see
 * EmailJobCollector for when), after the mute and cooldown check. `accept` never waits: jobs go
 * into a bounded buffer that a single loop drains into Redis; while Redis is away the loop retries
 * with backoff, new jobs wait in the buffer, and once it is full they are dropped and counted.
 */
export class QueueSink implements IncidentSink {
  readonly name = 'queue';
  private readonly redis: Redis;
  private readonly enqueuer: EmailEnqueuer;
  private readonly collector: EmailJobCollector;
  private readonly pump: BoundedPump<EmailJob>;
  private readonly counts = { enqueued: 0, cooldown: 0, muted: 0 };
  private down = false;
  private closed: Promise<void> | null = null;

  constructor(private readonly config: Config, private readonly log: (line: string) => void = () => {}) {
    const url = config.queue.redis_url;
    if (url === undefined) throw new Error('QueueSink: queue.redis_url is not set');
    this.redis = redisClient(url, 'producer');
    this.enqueuer = new EmailEnqueuer(this.redis, config.queue, config.mute);
    this.collector = new EmailJobCollector(config.detector.window_seconds, config.queue.buffer);
    this.pump = new BoundedPump<EmailJob>({
      capacity: config.queue.buffer,
      handle: async (job) => {
        const outcome = await this.enqueuer.enqueue(job);
        this.counts[outcome]++;
        if (this.down) {
          this.down = false;
          // this job still counts as held until the handler returns
          this.log(`email queue: redis ${redactUrl(url)} is back; ${this.pump.pending - 1} more held jobs follow`);
        }
      },
      onRetry: (e) => {
        if (this.down) return;
        this.down = true;
        this.log(`email queue: redis ${redactUrl(url)}: ${redisReason(e)}; holding jobs (at most ${config.queue.buffer}) and retrying`);
      },
    });
  }

  accept(c: IncidentChange): void {
    const job = this.collector.accept(c);
    if (job !== null) this.pump.push(job);
  }

  get stats(): QueueSinkStats {
    return { ...this.counts, dropped: this.pump.dropped, retries: this.pump.retries, pending: this.pump.pending };
  }

  /** Resolves when every job held so far has been handed to Redis (tests, and replay before it reports). */
  idle(): Promise<void> {
    return this.pump.idle();
  }

  /** Hands over the incidents still open, waits up to `queue.flush_seconds` for Redis to take them all, disconnects. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      for (const job of this.collector.flush()) this.pump.push(job);
      const left = await this.pump.close(this.config.queue.flush_seconds * 1000);
      if (left > 0) this.log(`email queue: ${left} jobs could not be handed to Redis before exit (dropped)`);
      await this.enqueuer.close();
      await closeRedis(this.redis);
    })();
    return this.closed;
  }
}
