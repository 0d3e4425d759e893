import type { Redis } from 'ioredis';
import { type EmailJob, jobIncidentIds, jobIps } from '../email/job.js';
import type { MuteState } from '../email/policy/redis-policy.js';
import type { QueueKeys } from '../email/queue/keys.js';

export interface DeferNote { reason: string; since: string }

/**
 * What the worker needs to defer a muted job to the mute's end instead of dropping it (issue 11): the mute it
 * meets now, whether its incident resolved meanwhile (the capture side records it), and the note that it was
 * deferred (the email then says the incident began during the maintenance).
 */
export interface MuteDeferral {
  mute(job: EmailJob): Promise<MuteState | null>;
  resolved(job: EmailJob): Promise<boolean>;
  deferred(job: EmailJob): Promise<DeferNote | null>;
  defer(job: EmailJob, note: DeferNote): Promise<void>;
  /** a deferred job whose incident resolved: the cooldown it took goes (its email never went) */
  releaseCooldown(job: EmailJob): Promise<void>;
}

/** KEYS: cooldown. ARGV: job id. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class RedisMuteDeferral implements MuteDeferral {
  constructor(private readonly redis: Redis, private readonly keys: QueueKeys, private readonly keepSeconds: number,
    private readonly muteState: (job: EmailJob) => Promise<MuteState | null>) {}

  mute(job: EmailJob): Promise<MuteState | null> {
    return this.muteState(job);
  }

  /** every incident of the email resolved (one email per block: all of its IPs' incidents) */
  async resolved(job: EmailJob): Promise<boolean> {
    const ids = jobIncidentIds(job);
    return (await this.redis.exists(...ids.map((id) => this.keys.resolved(id)))) === ids.length;
  }

  async deferred(job: EmailJob): Promise<DeferNote | null> {
    const v = await this.redis.get(this.keys.deferred(job.jobId));
    return v === null ? null : (JSON.parse(v) as DeferNote);
  }

  async defer(job: EmailJob, note: DeferNote): Promise<void> {
    // the first deferral's note stays: the maintenance began then
    await this.redis.set(this.keys.deferred(job.jobId), JSON.stringify(note), 'EX', this.keepSeconds, 'NX');
  }

  async releaseCooldown(job: EmailJob): Promise<void> {
    for (const ip of jobIps(job)) await this.redis.eval(RELEASE, 1, this.keys.cooldown(job.customer.id, ip, job.caseId), job.jobId);
  }
}
