import type { Config } from '../config/schema.js';
import type { EmailJob } from '../incidents/email-job.js';
import type { IncidentChange, IncidentSink } from '../incidents/incident.js';
import { mutedByConfig } from '../queue/mute.js';
import type { RenderFn } from '../worker/mail.js';
import { Outbox } from '../worker/outbox.js';
import { BoundedPump } from './bounded-pump.js';
import { EmailJobCollector } from './email-job-collector.js';

export interface OutboxSinkStats {
  written: number;
  /** the job's file was there already (the same incident, from an earlier run) */
  exists: number;
  cooldown: number;
  muted: number;
  failed: number;
  dropped: number;
}

/**
 * The embedded mode (no Redis): the emails a worker would send, written into a directory as .eml
 * files, one per job id. The cooldown is kept in memory on packet time (an incident that resolves
 * and reopens within `cooldown_hours` of the last email on the same customer, IP and case gets
 * none); across runs the file names keep one email per incident. `accept` never waits.
 */
export class OutboxSink implements IncidentSink {
  readonly name = 'outbox';
  readonly outbox: Outbox;
  private readonly collector: EmailJobCollector;
  private readonly pump: BoundedPump<EmailJob>;
  /** (customer, IP, case) → ms (packet time) of the email that started its cooldown */
  private readonly lastEmail = new Map<string, number>();
  private readonly counts = { written: 0, exists: 0, cooldown: 0, muted: 0, failed: 0 };
  private closed: Promise<void> | null = null;

  constructor(dir: string, render: RenderFn, private readonly config: Config, private readonly log: (line: string) => void = () => {}) {
    this.outbox = new Outbox(dir, render);
    this.collector = new EmailJobCollector(config.detector.window_seconds, config.queue.buffer);
    this.pump = new BoundedPump<EmailJob>({
      capacity: config.queue.buffer,
      handle: async (job) => {
        try {
          this.counts[await this.outbox.write(job)]++;
        } catch (e) {
          // a file that cannot be written now will not be written by a retry either
          this.counts.failed++;
          this.log(`outbox: ${this.outbox.fileFor(job)}: ${e instanceof Error ? e.message : String(e)}`);
        }
      },
    });
  }

  accept(c: IncidentChange): void {
    const job = this.collector.accept(c);
    if (job !== null) this.take(job);
  }

  get stats(): OutboxSinkStats {
    return { ...this.counts, dropped: this.pump.dropped };
  }

  idle(): Promise<void> {
    return this.pump.idle();
  }

  /** Writes the emails of the incidents still open, and waits for every file. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      for (const job of this.collector.flush()) this.take(job);
      await this.pump.close(Infinity);
    })();
    return this.closed;
  }

  private take(job: EmailJob): void {
    if (mutedByConfig(this.config.mute, job) !== null) {
      this.counts.muted++;
      return;
    }
    const key = `${job.customer.id}|${job.ip}|${job.caseId}`;
    const at = Date.parse(job.evidence.openedAt);
    const last = this.lastEmail.get(key);
    if (last !== undefined && at - last < this.config.queue.cooldown_hours * 3600e3) {
      this.counts.cooldown++;
      return;
    }
    this.lastEmail.set(key, at);
    this.pump.push(job);
  }
}
