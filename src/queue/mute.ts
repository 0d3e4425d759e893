import type { Redis } from 'ioredis';
import type { MuteConfig } from '../config/schema.js';
import type { EmailJob } from '../incidents/email-job.js';
import type { QueueKeys } from './keys.js';

export type MuteTarget = { kind: 'customer'; id: string } | { kind: 'ip'; ip: string };

export interface MuteEntry { target: string; expiresInSeconds: number | null }

/**
 * Maintenance mutes: a customer or an IP gets no email. Three sources, any one mutes: `muted: true`
 * in the inventory (the job is never built), `mute:` in the configuration, and `arpwarden mute`
 * (a Redis key, with an expiry when `--hours` is given) checked by the producer and again by the worker.
 */
export class MuteStore {
  constructor(private readonly redis: Redis, private readonly keys: QueueKeys, private readonly config: MuteConfig) {}

  key(t: MuteTarget): string {
    return t.kind === 'customer' ? this.keys.muteCustomer(t.id) : this.keys.muteIp(t.ip);
  }

  async mute(t: MuteTarget, hours: number | null): Promise<void> {
    if (hours === null) await this.redis.set(this.key(t), '1');
    else await this.redis.set(this.key(t), '1', 'EX', Math.max(1, Math.round(hours * 3600)));
  }

  /** true when there was a mute to remove */
  async unmute(t: MuteTarget): Promise<boolean> {
    return (await this.redis.del(this.key(t))) > 0;
  }

  async list(): Promise<MuteEntry[]> {
    const out: MuteEntry[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.keys.mutePattern(), 'COUNT', 1000);
      cursor = next;
      for (const k of keys) {
        const ttl = await this.redis.ttl(k);
        if (ttl !== -2) out.push({ target: this.keys.muteTarget(k), expiresInSeconds: ttl < 0 ? null : ttl });
      }
    } while (cursor !== '0');
    return out.sort((a, b) => a.target.localeCompare(b.target));
  }

  /** Why this job's customer or IP is muted, or null. */
  async mutedReason(job: Pick<EmailJob, 'customer' | 'ip'>): Promise<string | null> {
    const fromConfig = mutedByConfig(this.config, job);
    if (fromConfig !== null) return fromConfig;
    const [c, i] = await this.redis.mget(this.keys.muteCustomer(job.customer.id), this.keys.muteIp(job.ip));
    if (c !== null) return `customer ${job.customer.id} muted`;
    if (i !== null) return `ip ${job.ip} muted`;
    return null;
  }
}

export function mutedByConfig(config: MuteConfig, job: Pick<EmailJob, 'customer' | 'ip'>): string | null {
  if (config.customers.includes(job.customer.id)) return `customer ${job.customer.id} muted in the configuration`;
  if (config.ips.includes(job.ip)) return `ip ${job.ip} muted in the configuration`;
  return null;
}
