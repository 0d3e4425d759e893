import type { Redis } from 'ioredis';
import type { MuteConfig } from '../../config/schema.js';
import { type EmailJob, jobIps } from '../job.js';
import { narrowJob } from '../job-group.js';
import type { QueueKeys } from '../queue/keys.js';
import { type Admission, mutedByConfig, type NotificationPolicy, overall } from './notification-policy.js';

/**
 * A mute a job meets: the configuration's is `permanent` (the job completes as muted); one of `arpwarden mute`
 * ends at `endsAtMs` (wall clock), or is until unmuted (null): the worker defers the job to its end.
 */
export interface MuteState { reason: string; permanent: boolean; endsAtMs: number | null }

/**
 * One round trip decides, atomically, for each IP of the email, whether it may go: the cooldown of its
 * (customer, IP, case) free or already taken by this very job id. The cooldown key holds the job id that
 * took it, so a producer that set it and died before adding the job, or a second daemon that saw the same
 * incident, still adds the job: BullMQ's job id makes that second add a no-op. A mute of `arpwarden mute`
 * (in Redis) does not stop the job here: the worker defers it to the mute's end (issue 11).
 * KEYS: per IP its cooldown. ARGV: job id, cooldown seconds (0: no cooldown). Answers one word per IP.
 */
const GATE = `
local out = {}
for i = 1, #KEYS do
  local verdict = 'go'
  if ARGV[2] ~= '0' then
    local holder = redis.call('GET', KEYS[i])
    if not holder then
      redis.call('SET', KEYS[i], ARGV[1], 'EX', tonumber(ARGV[2]))
    elseif holder ~= ARGV[1] then
      verdict = 'cooldown'
    end
  end
  out[#out + 1] = verdict
end
return out
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
    return (await this.admitEmail(job)).admission;
  }

  async admitEmail(job: EmailJob): Promise<{ admission: Admission; job: EmailJob }> {
    const ips = jobIps(job);
    const fromConfig = ips.map((ip) => mutedByConfig(this.mute, { customer: job.customer, ip }) !== null);
    const ttl = Math.ceil(this.cooldownHours * 3600);
    // the IPs muted by the configuration are left out of the script: their cooldown is not taken
    const asked = ips.filter((_, i) => !fromConfig[i]);
    const keys = asked.map((ip) => this.keys.cooldown(job.customer.id, ip, job.caseId));
    const answers = asked.length === 0 ? [] : (await this.redis.eval(GATE, keys.length, ...keys, job.jobId, String(ttl))) as unknown[];
    let k = 0;
    const each: Admission[] = fromConfig.map((muted) => {
      if (muted) return 'muted';
      const a = answers[k++];
      return a === 'cooldown' ? a : 'go';
    });
    return { admission: overall(each), job: narrowJob(job, each.map((a) => a === 'go')) };
  }

  /**
   * The mute the job meets now, and when it ends: the customer's, or any of its IPs' (one email per block waits
   * for all of them), the latest end; the configuration's first, for good.
   */
  async muteState(job: Pick<EmailJob, 'customer' | 'ip' | 'group'>, nowMs: number = Date.now()): Promise<MuteState | null> {
    const ips = jobIps(job);
    for (const ip of ips) {
      const fromConfig = mutedByConfig(this.mute, { customer: job.customer, ip });
      if (fromConfig !== null) return { reason: fromConfig, permanent: true, endsAtMs: null };
    }
    const targets = [{ key: this.keys.muteCustomer(job.customer.id), reason: `customer ${job.customer.id} muted` }, ...ips.map((ip) => ({ key: this.keys.muteIp(ip), reason: `ip ${ip} muted` }))];
    const ttls = await Promise.all(targets.map((t) => this.redis.pttl(t.key)));
    // PTTL: -2 no key, -1 no expiry
    const found = targets.map((t, i) => ({ reason: t.reason, ttl: ttls[i] })).filter((m) => m.ttl !== -2);
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
