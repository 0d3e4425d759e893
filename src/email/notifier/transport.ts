import type { EmailJob } from '../job.js';

/** Where the email side's notices go: a line, and how serious it is (the daemon logs a warn for what an operator must see). */
export type NoticeLog = (line: string, level?: 'info' | 'warn') => void;

/**
 * Where the notifier hands the jobs that the policy let through: the outbox (.eml files) or the
 * queue (BullMQ). `O` names what can come of one job; the notifier counts each.
 */
export interface EmailTransport<O extends string> {
  /** the sink's name: 'outbox', 'queue' */
  readonly name: string;
  readonly outcomes: readonly O[];
  /** how long close() waits for the jobs still held, ms (Infinity: as long as it takes) */
  readonly flushMs: number;
  /** Hands one job over. A throw means "not now": the job is retried with backoff, the others waiting behind it. */
  deliver(job: EmailJob): Promise<O>;
  /** log lines when handing over starts failing, works again, and for the jobs still held when close() gave up */
  readonly messages?: {
    down(err: unknown, capacity: number): string;
    back(heldAfter: number): string;
    lost(left: number): string;
  };
  /**
   * Tells the notifier when the transport's connection is lost and when it is back, even with no job
   * to hand over (a daemon started while Redis is down says so at once). Each is called as often as
   * the connection reports it: the notifier keeps one line per outage.
   */
  watch?(onDown: (err: unknown) => void, onUp: () => void): void;
  /**
   * A customer incident resolved: recorded where the worker can read it (a job deferred by a mute whose incident
   * is over is then not sent). Never waits; the queue's records go into a bounded buffer of their own.
   */
  resolved?(incidentId: string): void;
  /** the run's line, from the notifier's counts */
  report(stats: NotifierStats<O>): string;
  /** what the JSON output says of it besides the counts (the directory, the queue's name) */
  describe(): Record<string, string>;
  close(): Promise<void>;
}

/** A notifier's counts: each outcome of its transport, then what never reached it. */
export type NotifierStats<O extends string> = Record<O, number> & {
  /** jobs the policy held back */
  cooldown: number;
  muted: number;
  /** jobs lost: the buffer was full, or still held when close() gave up */
  dropped: number;
  /** failed tries (the policy's store or the transport unreachable), each followed by a retry */
  retries: number;
  /** jobs held now */
  pending: number;
};
