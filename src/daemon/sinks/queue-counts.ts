import type { QueueConfig } from '../../config/schema.js';
import { openEmailQueue } from '../../email/queue/email-queue.js';
import { countMaybeSent, type FailedReader } from '../../email/queue/maybe-sent.js';
import { QueueKeys } from '../../email/queue/keys.js';
import { closeRedis, redisClient, sentinelOf } from '../../email/queue/redis.js';
import { readWorkerTotals, WORKER_OUTCOMES } from '../../email/queue/totals.js';
import { waitAtMost } from '../../common/wakeable-sleep.js';
import type { Telemetry } from '../../telemetry/telemetry.js';

/** how long a stop waits for a read or a close under way: the daemon's exit must not hang on a Redis that is away */
const STOP_WAIT_MS = 1000;

/** The BullMQ states read: mail not yet sent, mail waiting for a retry, mail given up on (maybe-sent ones among them). */
export const QUEUE_STATES = ['waiting', 'delayed', 'failed'] as const;
/**
 * The states the gauge shows: BullMQ's, with the maybe-sent jobs out of the failed ones (as `queue status` shows
 * them): mail the relay may have delivered, which only a person (`queue resend`) sends again.
 */
export const GAUGE_STATES = ['waiting', 'delayed', 'failed', 'maybe-sent'] as const;

/** the failed set is recounted for its maybe-sent jobs when the failed count changes, and every this many reads else */
const RECOUNT_EVERY = 60;

/** What is read from the queue: BullMQ's getJobCounts and its failed set (a Queue has both). */
export interface JobCountsReader extends FailedReader {
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

/** The workers' totals by outcome (src/email/queue/totals.ts), or none (a reader of the queue alone). */
export type TotalsReader = () => Promise<Readonly<Record<string, number>>>;

/**
 * The email queue's job counts as the gauge `email_queue_jobs{state}` (GAUGE_STATES). A snapshot is synchronous and
 * Redis is not, so the counts are read in the background every `everyMs` (one read at a time, a read that fails keeps
 * the last counts) and the snapshot writes the last ones read; before the first read, nothing. The maybe-sent jobs
 * are counted by reading the failed set, which a daemon does not want each second: again only when the failed count
 * moves, or every RECOUNT_EVERY reads (a failed job retried that ends maybe-sent leaves the count where it was).
 * With a totals reader, the workers' totals too, as the counter `email_worker_jobs_total{outcome}` (one HGETALL a read).
 */
export class QueueCounts {
  /** the last counts read, by state, and when (ms since the epoch, the clock: this is about Redis, not packet time) */
  last: Record<string, number> | null = null;
  /** the workers' totals last read, by outcome */
  totals: Readonly<Record<string, number>> | null = null;
  readAt = 0;
  failedReads = 0;
  private reading: Promise<void> | null = null;
  /** the failed count the maybe-sent count was taken at, and that count; reads since */
  private counted: { failed: number; maybeSent: number; reads: number } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly reader: JobCountsReader, private readonly readTotals?: TotalsReader) {}

  /** One read now, unless one is under way (resolves when it ends, never rejects). */
  refresh(): Promise<void> {
    this.reading ??= this.read().then(
      ([counts, totals]) => { this.last = counts; this.totals = totals ?? this.totals; this.readAt = Date.now(); },
      () => { this.failedReads++; },
    ).finally(() => { this.reading = null; });
    return this.reading;
  }

  private async read(): Promise<[Record<string, number>, Readonly<Record<string, number>> | undefined]> {
    return Promise.all([this.readCounts(), this.readTotals?.()]);
  }

  private async readCounts(): Promise<Record<string, number>> {
    const counts = await this.reader.getJobCounts(...QUEUE_STATES);
    const failed = counts.failed ?? 0;
    const c = this.counted;
    if (c === null || c.failed !== failed || ++c.reads >= RECOUNT_EVERY) {
      this.counted = { failed, maybeSent: await countMaybeSent(this.reader), reads: 0 };
    }
    // a job can leave the failed set between the two reads: never a negative count
    const maybeSent = Math.min(this.counted!.maybeSent, failed);
    return { ...counts, failed: failed - maybeSent, 'maybe-sent': maybeSent };
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
    t.describe('email_queue_jobs', 'gauge', 'email jobs in the queue by state (waiting, delayed, failed, maybe-sent: the relay may have it, queue resend sends it again), as last read from Redis');
    t.describe('email_worker_jobs_total', 'counter', 'what the workers did with the queue\'s jobs, by outcome (sent: the relay\'s 250; failed for good; maybe-sent; muted; muted-resolved), totals kept in Redis across every worker, as last read');
    t.describe('email_queue_reads_failed_total', 'counter', 'reads of the queue\'s job counts that failed (Redis away): the gauge keeps the last counts');
    t.source('email-queue', (out) => {
      out.counter('email_queue_reads_failed_total', this.failedReads);
      const last = this.last;
      if (last === null) return;
      for (const s of GAUGE_STATES) out.gauge('email_queue_jobs', last[s] ?? 0, { state: s });
      const totals = this.totals;
      if (totals !== null) for (const o of WORKER_OUTCOMES) out.counter('email_worker_jobs_total', totals[o] ?? 0, { outcome: o });
    });
  }
}

/** The counts of the configured queue and its workers' totals, on a connection of their own (closed by the returned stop). */
export function queueCounts(cfg: QueueConfig, url: string, t: Telemetry, everyMs: number): { stop(): Promise<void> } {
  const redis = redisClient(url, 'producer', sentinelOf(cfg));
  const queue = openEmailQueue(redis, cfg);
  const keys = new QueueKeys(cfg.name);
  const counts = new QueueCounts(queue, () => readWorkerTotals(redis, keys));
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
