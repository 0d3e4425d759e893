import type { Redis } from 'ioredis';
import type { MuteConfig } from '../../config/schema.js';
import type { EmailJob } from '../job.js';
import type { QueueKeys } from '../queue/keys.js';
import { type Admission, mutedByConfig, type NotificationPolicy } from './notification-policy.js';

/**
 * A mute a job meets: the configuration's is `permanent` (the job completes as muted); one of `arpwarden mute`
 * ends at `endsAtMs` (wall clock), or is until unmuted (null): the worker defers the job to its end.
 */
export interface MuteState { reason: string; permanent: boolean; endsAtMs: number | null }

/**
 * One round trip decides, atomically, whether the job may go: not muted (by the configuration), and the cooldown of its
 * (customer, IP, case) free or already taken by this very job id. The cooldown key holds the job id
 * that took it, so a producer that set it and died before adding the job, or a second daemon that
 * saw the same incident, still adds the job: BullMQ's job id makes that second add a no-op.
 * A mute of `arpwarden mute` (in Redis) does not stop the job here: the worker defers it to the mute's end.
 * KEYS: cooldown. ARGV: job id, cooldown seconds (0: no cooldown).
 */
const GATE = `
if ARGV[2] == '0' then return 'go' end
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
  return 'go'
end
if holder == ARGV[1] then return 'go' end
return 'cooldown'
`;

/**
 * The policy shared by every daemon and worker of one queue: the configuration's mutes, the
 * `arpwarden mute` keys (with their expiry), and the cooldown as a Redis key that expires with it
 * (wall-clock time, the same for every producer).
 */
export class RedisNotificationPolicy implements NotificationPolicy {
  constructor(private readonly redis: Redis, private readonly keys: QueueKeys, private readonly mute: MuteConfig,
    private readonly cooldownHours: number) {}

  async admit(job: EmailJob): Promise<Admission> {
    if (mutedByConfig(this.mute, job) !== null) return 'muted';
    const ttl = Math.ceil(this.cooldownHours * 3600);
    const gate = await this.redis.eval(GATE, 1, this.keys.cooldown(job.customer.id, job.ip, job.caseId), job.jobId, String(ttl));
    return gate === 'cooldown' ? gate : 'go';
  }

  /** The mute the job meets now, and when it ends: the later of the customer's and the IP's. */
  async muteState(job: Pick<EmailJob, 'customer' | 'ip'>, nowMs: number = Date.now()): Promise<MuteState | null> {
    const fromConfig = mutedByConfig(this.mute, job);
    if (fromConfig !== null) return { reason: fromConfig, permanent: true, endsAtMs: null };
    const [c, i] = await Promise.all([this.redis.pttl(this.keys.muteCustomer(job.customer.id)), this.redis.pttl(this.keys.muteIp(job.ip))]);
    // PTTL: -2 no key, -1 no expiry
    const found = [c !== -2 ? { reason: `customer ${job.customer.id} muted`, ttl: c } : null, i !== -2 ? { reason: `ip ${job.ip} muted`, ttl: i } : null]
      .filter((m): m is { reason: string; ttl: number } => m !== null);
    if (found.length === 0) return null;
    const endsAtMs = found.some((m) => m.ttl < 0) ? null : nowMs + Math.max(...found.map((m) => m.ttl));
    return { reason: found.map((m) => m.reason).join(', '), permanent: false, endsAtMs };
  }

  async mutedReason(job: Pick<EmailJob, 'customer' | 'ip'>): Promise<string | null> {
    const fromConfig = mutedByConfig(this.mute, job);
    if (fromConfig !== null) return fromConfig;
    const [c, i] = await this.redis.mget(this.keys.muteCustomer(job.customer.id), this.keys.muteIp(job.ip));
    if (c !== null) return `customer ${job.customer.id} muted`;
    if (i !== null) return `ip ${job.ip} muted`;
    return null;
  }
}
