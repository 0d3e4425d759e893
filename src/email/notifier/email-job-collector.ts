import type { Incident, IncidentChange } from '../../incidents/incident.js';
import type { EmailJob } from '../job.js';
import { emailJobFor } from '../job-for-incident.js';
import { groupedJob, groupKeyOf } from '../job-group.js';

/** An incident waiting for its email, in its group. */
interface Waiting {
  inc: Readonly<Incident>;
  /** its evidence is in: its first update or its end came */
  ready: boolean;
}

/** Incidents of one customer, case and block (or server) opened within the window of the first: one email. */
interface Group {
  key: string;
  /** the first incident's opening, µs of packet time: the group takes incidents opening before startsAt + window */
  startsAt: number;
  members: Waiting[];
}

/**
 * Decides when an incident's email job is built, for the notifier (so the outbox and the queue
 * decide alike). The job id comes from the opening (customer, IP, case, hour), but the evidence a
 * customer reads should be more than the one frame that crossed the threshold: an incident's
 * evidence is in at its first update (a minute of packet time on) or when it resolves, whichever
 * comes first.
 *
 * One email per block: incidents of one customer, case and block (or server) that open within
 * `groupMicros` of the first one's opening make one job, listing every IP. The group's job is built
 * once packet time (read from the changes: nothing here reads the clock) has passed the window and
 * every member's evidence is in. With a window no longer than the quiet period, the first
 * incident's own end passes it, so no group waits for unrelated traffic.
 *
 * Incidents still waiting when the daemon stops get theirs at `flush()`. Noise, incidents with no
 * customer and muted ones never get a job. At most `maxWaiting` incidents wait; past it the job is
 * built at once, on its own.
 */
export class EmailJobCollector {
  private readonly waiting = new Map<string, { entry: Waiting; group: Group }>();
  /** groups not yet built, in opening order (incidents open in packet-time order) */
  private readonly groups: Group[] = [];
  /** the group still taking incidents, per key */
  private readonly open = new Map<string, Group>();
  private now = Number.NEGATIVE_INFINITY;

  constructor(private readonly windowSeconds: number, private readonly maxWaiting: number, private readonly groupMicros = 0) {}

  /** The jobs due with this change (often none). Synchronous and cheap: it runs on the capture path. */
  accept(c: IncidentChange): readonly EmailJob[] {
    const inc = c.incident;
    const at = c.kind === 'opened' ? inc.openedAt : (c.kind === 'resolved' ? inc.resolvedAt ?? inc.lastSeen : inc.lastSeen);
    if (at > this.now) this.now = at;
    if (c.kind === 'opened') {
      if (!inc.verdict.emailable) return this.due();
      const job = this.admit(inc);
      return job === null ? this.due() : [job, ...this.due()];
    }
    const w = this.waiting.get(inc.id);
    if (w !== undefined) {
      w.entry.inc = inc;
      w.entry.ready = true;
    }
    return this.due();
  }

  /** The incidents waiting for their job, each with whether its evidence is in (the state keeps them across a restart). */
  waitingIncidents(): [string, boolean][] {
    return [...this.waiting].map(([id, w]) => [id, w.entry.ready]);
  }

  /**
   * After a restart: incidents the last run had open whose job was not built yet wait again, as they did (a crash
   * lost the job, and a restored incident is not told 'opened' again). Returns the jobs due already.
   */
  rejoin(incidents: readonly { inc: Readonly<Incident>; ready: boolean }[]): readonly EmailJob[] {
    const jobs: EmailJob[] = [];
    // groups are built in opening order
    for (const { inc, ready } of [...incidents].sort((a, b) => a.inc.openedAt - b.inc.openedAt)) {
      if (!inc.verdict.emailable || this.waiting.has(inc.id)) continue;
      if (inc.lastSeen > this.now) this.now = inc.lastSeen;
      const job = this.admit(inc);
      if (job !== null) jobs.push(job);
      const w = this.waiting.get(inc.id);
      if (w !== undefined) w.entry.ready = ready;
    }
    return [...jobs, ...this.due()];
  }

  /** The jobs of the incidents still waiting, built from what they hold now. */
  flush(): EmailJob[] {
    const jobs = this.groups.map((g) => this.build(g)).filter((j): j is EmailJob => j !== null);
    this.groups.length = 0;
    this.open.clear();
    this.waiting.clear();
    return jobs;
  }

  /** An incident that may be mailed: it waits for its group, or past `maxWaiting` gets its job at once, on its own (returned). */
  private admit(inc: Readonly<Incident>): EmailJob | null {
    if (this.waiting.size >= this.maxWaiting) return emailJobFor(inc, this.windowSeconds);
    this.join(inc);
    return null;
  }

  private join(inc: Readonly<Incident>): void {
    const key = groupKeyOf(inc);
    let g = this.open.get(key);
    if (g === undefined || inc.openedAt >= g.startsAt + this.groupMicros) {
      g = { key, startsAt: inc.openedAt, members: [] };
      this.groups.push(g);
      this.open.set(key, g);
    }
    const entry: Waiting = { inc, ready: false };
    g.members.push(entry);
    this.waiting.set(inc.id, { entry, group: g });
  }

  /** The groups whose window packet time has passed and whose members' evidence is all in. */
  private due(): readonly EmailJob[] {
    let jobs: EmailJob[] | null = null;
    for (let i = 0; i < this.groups.length; i++) {
      const g = this.groups[i];
      // opened in packet-time order: the later groups' windows have not passed either
      if (this.now < g.startsAt + this.groupMicros) break;
      if (!g.members.every((m) => m.ready)) continue;
      this.groups.splice(i--, 1);
      if (this.open.get(g.key) === g) this.open.delete(g.key);
      for (const m of g.members) this.waiting.delete(m.inc.id);
      const job = this.build(g);
      if (job !== null) (jobs ??= []).push(job);
    }
    return jobs ?? NONE;
  }

  private build(g: Group): EmailJob | null {
    const jobs = g.members.map((m) => emailJobFor(m.inc, this.windowSeconds)).filter((j): j is EmailJob => j !== null);
    return jobs.length === 0 ? null : groupedJob(jobs);
  }
}

/** no job: one shared empty answer, so that most changes allocate nothing */
const NONE: readonly EmailJob[] = [];
