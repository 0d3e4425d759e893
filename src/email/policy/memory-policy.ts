import type { MuteConfig } from '../../config/schema.js';
import type { EmailJob } from '../job.js';
import { type Admission, cooldownKey, mutedByConfig, type NotificationPolicy } from './notification-policy.js';

/**
 * The policy of one process with no Redis (the outbox): the configuration's mutes, and the cooldown
 * kept in memory on packet time (an incident that resolves and reopens within `cooldownHours` of the
 * last email on the same customer, IP and case gets none), so a replay decides what the live daemon did.
 */
export class MemoryNotificationPolicy implements NotificationPolicy {
  /** cooldown key → the job that took it, and its opening (ms, packet time) */
  private readonly taken = new Map<string, { jobId: string; at: number }>();

  constructor(private readonly mute: MuteConfig, private readonly cooldownHours: number) {}

  admit(job: EmailJob): Promise<Admission> {
    if (mutedByConfig(this.mute, job) !== null) return Promise.resolve('muted');
    if (this.cooldownHours <= 0) return Promise.resolve('go');
    const key = cooldownKey(job);
    const at = Date.parse(job.evidence.openedAt);
    const last = this.taken.get(key);
    if (last !== undefined && last.jobId !== job.jobId && at - last.at < this.cooldownHours * 3600e3) return Promise.resolve('cooldown');
    if (last === undefined || last.jobId !== job.jobId) this.taken.set(key, { jobId: job.jobId, at });
    return Promise.resolve('go');
  }

  mutedReason(job: Pick<EmailJob, 'customer' | 'ip'>): Promise<string | null> {
    return Promise.resolve(mutedByConfig(this.mute, job));
  }
}
