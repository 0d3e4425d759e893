import type { EmailJob } from '../job.js';
import type { RenderFn } from '../render/mail.js';
import { Outbox } from './outbox.js';
import type { EmailTransport, NoticeLog, NotifierStats } from './transport.js';

export type OutboxOutcome = 'written' | 'exists' | 'failed';

/**
 * The embedded mode (no Redis): the emails a worker would send, written into a directory as .eml
 * files, one per job id (`exists`: the same incident's file from an earlier run). A file that
 * cannot be written now will not be written by a retry either: it is counted as failed, not retried.
 */
export class OutboxTransport implements EmailTransport<OutboxOutcome> {
  readonly name = 'outbox';
  readonly outcomes = ['written', 'exists', 'failed'] as const;
  readonly flushMs = Infinity;
  readonly outbox: Outbox;

  /** the last failure's line ("outbox: FILE: reason"), null while none failed */
  lastFailure: string | null = null;

  constructor(dir: string, render: RenderFn, private readonly log: NoticeLog = () => {}, fileMode = 0o600) {
    this.outbox = new Outbox(dir, render, fileMode);
  }

  async deliver(job: EmailJob): Promise<OutboxOutcome> {
    try {
      return await this.outbox.write(job);
    } catch (e) {
      const first = this.lastFailure === null;
      this.lastFailure = `outbox: ${this.outbox.fileFor(job)}: ${e instanceof Error ? e.message : String(e)}`;
      // a full disk fails every job alike: the first says why, the run's end says how many
      if (first) this.log(this.lastFailure, 'warn');
      return 'failed';
    }
  }

  report(s: NotifierStats<OutboxOutcome>): string {
    return `emails: ${s.written} written to ${this.outbox.dir} (already there ${s.exists}, cooldown ${s.cooldown}, muted ${s.muted}, failed ${s.failed}, dropped ${s.dropped})`;
  }

  describe(): Record<string, string> {
    return { dir: this.outbox.dir };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
