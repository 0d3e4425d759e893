import type { Redis } from 'ioredis';
import type { MuteConfig } from '../../config/schema.js';
import { type EmailJob, jobIps } from '../job.js';
import { narrowJob } from '../job-group.js';
import type { QueueKeys } from '../queue/keys.js';
import { type Admission, mutedByConfig, type NotificationPolicy, overall } from './notification-policy.js';

/**
 * One round trip decides, atomically, for each IP of the email, whether it may go: not muted, and
 * the cooldown of its (customer, IP, case) free or already taken by this very job id. The cooldown
 * key holds the job id that took it, so a producer that set it and died before adding the job, or a
 * second daemon that saw the same incident, still adds the job: BullMQ's job id makes that second
 * add a no-op. KEYS: mute customer, then per IP its mute and its cooldown. ARGV: job id, cooldown
 * seconds (0: no cooldown). Answers one word per IP.
 */
const GATE = `
local out = {}
local customerMuted = redis.call('EXISTS', KEYS[1]) == 1
for i = 2, #KEYS, 2 do
  local verdict = 'go'
  if customerMuted or redis.call('EXISTS', KEYS[i]) == 1 then
    verdict = 'muted'
  elseif ARGV[2] ~= '0' then
    local holder = redis.call('GET', KEYS[i + 1])
    if not holder then
      redis.call('SET', KEYS[i + 1], ARGV[1], 'EX', tonumber(ARGV[2]))
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
    const keys = [this.keys.muteCustomer(job.customer.id), ...asked.flatMap((ip) => [this.keys.muteIp(ip), this.keys.cooldown(job.customer.id, ip, job.caseId)])];
    const answers = asked.length === 0 ? [] : (await this.redis.eval(GATE, keys.length, ...keys, job.jobId, String(ttl))) as unknown[];
    let k = 0;
    const each: Admission[] = fromConfig.map((muted) => {
      if (muted) return 'muted';
      const a = answers[k++];
      return a === 'muted' || a === 'cooldown' ? a : 'go';
    });
    return { admission: overall(each), job: narrowJob(job, each.map((a) => a === 'go')) };
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
