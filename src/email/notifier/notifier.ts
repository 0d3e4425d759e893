import type { Incident, IncidentChange, IncidentSink } from '../../incidents/incident.js';
import { type EmailJob, jobIncidentIds } from '../job.js';
import type { NotificationPolicy } from '../policy/notification-policy.js';
import { BoundedPump } from '../../sinks/bounded-pump.js';
import { EmailJobCollector } from './email-job-collector.js';
import type { EmailTransport, NoticeLog, NotifierStats } from './transport.js';

export interface NotifierOptions<O extends string> {
  transport: EmailTransport<O>;
  policy: NotificationPolicy;
  /** the detector's window, stated in the email */
  windowSeconds: number;
  /** one email per block: incidents of one customer, case and block (or server) opening within this long of packet time share one, µs (0: one per IP) */
  groupMicros?: number;
  /** jobs held at most (waiting for their incident's evidence, or for the transport) */
  buffer: number;
  log?: NoticeLog;
}

/** One job through the policy, then to the transport: what came of it. Throws as either does; trying again is safe. */
export async function notify<O extends string>(job: EmailJob, policy: NotificationPolicy, transport: EmailTransport<O>): Promise<O | 'muted' | 'cooldown'> {
  // a grouped email goes for the IPs the policy lets through (the others muted or in their cooldown)
  const { admission, job: admitted } = await policy.admitEmail(job);
  return admission === 'go' ? transport.deliver(admitted) : admission;
}

/**
 * The sink that warns customers: each customer incident becomes one email job (EmailJobCollector
 * says when), the policy decides whether it goes (mutes, cooldown), the transport hands it over.
 * `accept` never waits: jobs go into a bounded buffer that one loop drains, in order; while the
 * policy's store or the transport is away the loop retries with backoff, new jobs wait in the
 * buffer, and once it is full they are dropped and counted.
 */
/** how many lost jobs a failure line names (the count is exact past it) */
const LOST_LISTED = 20;

export class EmailNotifier<O extends string> implements IncidentSink {
  readonly name: string;
  readonly transport: EmailTransport<O>;
  readonly policy: NotificationPolicy;
  private readonly collector: EmailJobCollector;
  private readonly pump: BoundedPump<EmailJob>;
  private readonly counts: Record<string, number>;
  private readonly log: NoticeLog;
  private down = false;
  private readonly capacity: number;
  private closed: Promise<void> | null = null;
  /** the ids of the jobs lost (dropped by a full buffer, or still held at exit), the first LOST_LISTED */
  readonly lost: string[] = [];
  /** the incidents of the jobs lost (at most `buffer`): the state keeps them, so a restart builds their jobs again */
  private readonly lostIncidents = new Set<string>();

  constructor(opts: NotifierOptions<O>) {
    const { transport, policy } = opts;
    const log = opts.log ?? (() => {});
    this.name = transport.name;
    this.transport = transport;
    this.policy = policy;
    this.counts = Object.fromEntries([...transport.outcomes, 'cooldown', 'muted'].map((k) => [k, 0]));
    this.collector = new EmailJobCollector(opts.windowSeconds, opts.buffer, opts.groupMicros ?? 0);
    this.pump = new BoundedPump<EmailJob>({
      capacity: opts.buffer,
      handle: async (job) => {
        this.counts[await notify(job, policy, transport)]++;
        // this job still counts as held until the handler returns
        this.markUp(1);
      },
      onRetry: (e) => this.markDown(e),
      onDrop: (job) => {
        if (this.lost.length < LOST_LISTED) this.lost.push(job.jobId);
        for (const id of jobIncidentIds(job)) if (this.lostIncidents.size < opts.buffer) this.lostIncidents.add(id);
      },
    });
    this.log = log;
    this.capacity = opts.buffer;
    transport.watch?.((e) => this.markDown(e), () => this.markUp(0));
  }

  /** One line when handing over stops working (a failed try, or the connection lost), however often it is reported. */
  private markDown(e: unknown): void {
    if (this.down || this.closed !== null) return;
    this.down = true;
    if (this.transport.messages) this.log(this.transport.messages.down(e, this.capacity), 'warn');
  }

  /** One line when it works again; `inFlight`: jobs being handed over now, not held any more. */
  private markUp(inFlight: number): void {
    if (!this.down || this.closed !== null) return;
    this.down = false;
    if (this.transport.messages) this.log(this.transport.messages.back(Math.max(0, this.pump.pending - inFlight)), 'info');
  }

  accept(c: IncidentChange): void {
    if (c.kind === 'resolved' && c.incident.verdict.emailable) this.transport.resolved?.(c.incident.id);
    for (const job of this.collector.accept(c)) this.pump.push(job);
  }

  /**
   * The incidents whose email is not handed over yet, each with whether its evidence is in: waiting for it, built and
   * held, or lost (Redis away, the buffer full). The state keeps them: a crash or a stop with the transport away
   * would lose their emails, and a restored incident is not told 'opened' again. Building a job again is safe: its
   * id is the same (one email), and the cooldown holds back an email whose group came out otherwise.
   */
  unsent(): [string, boolean][] {
    const out = new Map<string, boolean>(this.collector.waitingIncidents());
    for (const job of this.pump.held()) for (const id of jobIncidentIds(job)) out.set(id, true);
    for (const id of this.lostIncidents) out.set(id, true);
    return [...out];
  }

  /** After a restart: the open incidents `unsent()` named get their email again (`saved`: what it gave; another shape is skipped). */
  rejoin(open: readonly Readonly<Incident>[], saved: unknown): void {
    if (!Array.isArray(saved)) return;
    const ready = new Map<string, boolean>();
    for (const e of saved as unknown[]) if (Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'boolean') ready.set(e[0], e[1]);
    const again = open.filter((inc) => ready.has(inc.id)).map((inc) => ({ inc, ready: ready.get(inc.id)! }));
    for (const job of this.collector.rejoin(again)) this.pump.push(job);
  }

  /** For /readyz: the transport takes jobs, or it is away and they are held. */
  health(): { ok: boolean; detail: string } {
    const where = Object.values(this.transport.describe()).join(' ');
    return this.down
      ? { ok: false, detail: `${this.name} ${where}: not reachable, ${this.pump.pending} jobs held, ${this.pump.dropped} dropped` }
      : { ok: true, detail: `${this.name} ${where}: ${this.pump.pending} jobs waiting` };
  }

  stats(): NotifierStats<O> {
    return { ...this.counts, dropped: this.pump.dropped, retries: this.pump.retries, pending: this.pump.pending } as NotifierStats<O>;
  }

  /** Resolves when every job held so far has been handed over (tests, and replay before it reports). */
  idle(): Promise<void> {
    return this.pump.idle();
  }

  /** Hands over the incidents still open, waits up to the transport's flushMs for them, closes the transport. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      for (const job of this.collector.flush()) this.pump.push(job);
      const left = await this.pump.close(this.transport.flushMs);
      if (left > 0 && this.transport.messages) this.log(this.transport.messages.lost(left), 'warn');
      await this.transport.close();
    })();
    return this.closed;
  }
}
