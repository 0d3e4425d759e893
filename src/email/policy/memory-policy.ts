import type { MuteConfig } from '../../config/schema.js';
import { type EmailJob, jobIps } from '../job.js';
import { narrowJob } from '../job-group.js';
import { type Admission, cooldownKey, mutedByConfig, type NotificationPolicy, overall } from './notification-policy.js';

/**
 * The policy of one process with no Redis (the outbox): the configuration's mutes, and the cooldown
 * kept in memory on packet time (an incident that resolves and reopens within `cooldownHours` of the
 * last email on the same customer, IP and case gets none), so a replay decides what the live daemon did.
 */
export class MemoryNotificationPolicy implements NotificationPolicy {
  /** cooldown key → the job that took it, and its opening (ms, packet time) */
  private readonly taken = new Map<string, { jobId: string; at: number }>();
  /** the latest opening a cooldown was taken at (ms, packet time): one older than it by the cooldown holds nothing back */
  private newest = Number.NEGATIVE_INFINITY;

  constructor(private readonly mute: MuteConfig, private readonly cooldownHours: number) {}

  async admit(job: EmailJob): Promise<Admission> {
    return (await this.admitEmail(job)).admission;
  }

  admitEmail(job: EmailJob): Promise<{ admission: Admission; job: EmailJob }> {
    const each = jobIps(job).map((ip, i) => this.admitIp(job, ip, i === 0 ? job.evidence.openedAt : job.group![i - 1].evidence.openedAt));
    return Promise.resolve({ admission: overall(each), job: narrowJob(job, each.map((a) => a === 'go')) });
  }

  /** One IP of the email: `openedAt`, its incident's opening (packet time). */
  private admitIp(job: EmailJob, ip: string, openedAt: string): Admission {
    if (mutedByConfig(this.mute, { customer: job.customer, ip }) !== null) return 'muted';
    if (this.cooldownHours <= 0) return 'go';
    const key = cooldownKey({ customer: job.customer, ip, caseId: job.caseId });
    const at = Date.parse(openedAt);
    const last = this.taken.get(key);
    if (last !== undefined && last.jobId !== job.jobId && at - last.at < this.cooldownHours * 3600e3) return 'cooldown';
    if (last === undefined || last.jobId !== job.jobId) this.take(key, job.jobId, at);
    return 'go';
  }

  private take(key: string, jobId: string, at: number): void {
    this.taken.set(key, { jobId, at });
    if (at > this.newest) this.newest = at;
  }

  /**
   * The cooldowns still running, as [key, job id, opening ms] (the daemon's state file keeps them across a restart).
   * Those past are forgotten here: a daemon that runs for years would otherwise keep, and save, every one it took.
   */
  saved(): [string, string, number][] {
    const ended = this.newest - this.cooldownHours * 3600e3;
    for (const [key, t] of this.taken) if (t.at < ended) this.taken.delete(key);
    return [...this.taken].map(([key, t]) => [key, t.jobId, t.at]);
  }

  /** The cooldowns a previous run took; an entry of another shape is skipped (the file was edited). */
  restore(saved: unknown): void {
    if (!Array.isArray(saved)) return;
    for (const e of saved as unknown[]) {
      if (!Array.isArray(e) || e.length !== 3) continue;
      const [key, jobId, at] = e as unknown[];
      if (typeof key === 'string' && typeof jobId === 'string' && typeof at === 'number' && Number.isFinite(at)) this.take(key, jobId, at);
    }
  }

  mutedReason(job: Pick<EmailJob, 'customer' | 'ip'>): Promise<string | null> {
    return Promise.resolve(mutedByConfig(this.mute, job));
  }
}
