import type { Redis } from 'ioredis';
import type { MuteConfig } from '../../config/schema.js';
import type { EmailJob } from '../job.js';
import type { QueueKeys } from '../queue/keys.js';
import { type Admission, mutedByConfig, type NotificationPolicy } from './notification-policy.js';

/**
 * One round trip decides, atomically, whether the job may go: not muted, and the cooldown of its
 * (customer, IP, case) free or already taken by this very job id. The cooldown key holds the job id
 * that took it, so a producer that set it and died before adding the job, or a second daemon that
 * saw the same incident, still adds the job: BullMQ's job id makes that second add a no-op.
 * KEYS: mute customer, mute IP, cooldown. ARGV: job id, cooldown seconds (0: no cooldown).
 */
const GATE = `
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 'muted' end
if ARGV[2] == '0' then return 'go' end
local holder = redis.call('GET', KEYS[3])
if not holder then
  redis.call('SET', KEYS[3], ARGV[1], 'EX', tonumber(ARGV[2]))
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
    const gate = await this.redis.eval(GATE, 3, this.keys.muteCustomer(job.customer.id), this.keys.muteIp(job.ip),
      this.keys.cooldown(job.customer.id, job.ip, job.caseId), job.jobId, String(ttl));
    return gate === 'muted' || gate === 'cooldown' ? gate : 'go';
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
