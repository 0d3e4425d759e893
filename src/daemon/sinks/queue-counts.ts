import type { QueueConfig } from '../../config/schema.js';
import { openEmailQueue } from '../../email/queue/email-queue.js';
import { closeRedis, redisClient, sentinelOf } from '../../email/queue/redis.js';
import { waitAtMost } from '../../common/wakeable-sleep.js';
import type { Telemetry } from '../../telemetry/telemetry.js';

/** how long a stop waits for a read or a close under way: the daemon's exit must not hang on a Redis that is away */
const STOP_WAIT_MS = 1000;

/** The queue states the NOC watches: mail not yet sent, mail waiting for a retry, mail given up on. */
export const QUEUE_STATES = ['waiting', 'delayed', 'failed'] as const;

/** What is read from the queue: BullMQ's getJobCounts (a Queue has it). */
export interface JobCountsReader {
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

/**
 * The email queue's job counts as the gauge `email_queue_jobs{state}`. A snapshot is synchronous and Redis is not,
 * so the counts are read in the background every `everyMs` (one read at a time, a read that fails keeps the last
 * counts) and the snapshot writes the last ones read; before the first read, nothing.
 */
export class QueueCounts {
  /** the last counts read, by state, and when (ms since the epoch, the clock: this is about Redis, not packet time) */
  last: Record<string, number> | null = null;
  readAt = 0;
  failedReads = 0;
  private reading: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly reader: JobCountsReader) {}

  /** One read now, unless one is under way (resolves when it ends, never rejects). */
  refresh(): Promise<void> {
    this.reading ??= this.reader.getJobCounts(...QUEUE_STATES).then(
      (counts) => { this.last = counts; this.readAt = Date.now(); },
      () => { this.failedReads++; },
    ).finally(() => { this.reading = null; });
    return this.reading;
  }

  start(everyMs: number): void {
    void this.refresh();
    this.timer = setInterval(() => { void this.refresh(); }, everyMs);
    this.timer.unref();
  }

  /** Stops reading; a read under way is waited for a moment only (BullMQ waits for a Redis that is away forever). */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.reading !== null) await waitAtMost(this.reading, STOP_WAIT_MS);
  }

  register(t: Telemetry): void {
    t.describe('email_queue_jobs', 'gauge', 'email jobs in the queue by state (waiting, delayed, failed), as last read from Redis');
    t.describe('email_queue_reads_failed_total', 'counter', 'reads of the queue\'s job counts that failed (Redis away): the gauge keeps the last counts');
    t.source('email-queue', (out) => {
      out.counter('email_queue_reads_failed_total', this.failedReads);
      const last = this.last;
      if (last === null) return;
      for (const s of QUEUE_STATES) out.gauge('email_queue_jobs', last[s] ?? 0, { state: s });
    });
  }
}

/** The counts of the configured queue, on a connection of their own (closed by the returned stop). */
export function queueCounts(cfg: QueueConfig, url: string, t: Telemetry, everyMs: number): { stop(): Promise<void> } {
  const redis = redisClient(url, 'producer', sentinelOf(cfg));
  const queue = openEmailQueue(redis, cfg);
  const counts = new QueueCounts(queue);
  counts.register(t);
  counts.start(everyMs);
  return {
    stop: async () => {
      await counts.stop();
      // the connection goes first: a queue that never reached Redis would wait for it to close
      await closeRedis(redis);
      await waitAtMost(queue.close().catch(() => {}), STOP_WAIT_MS);
    },
  };
}
