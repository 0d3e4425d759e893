import type { Redis } from 'ioredis';
import type { QueueKeys } from '../queue/keys.js';

export type MuteTarget = { kind: 'customer'; id: string } | { kind: 'ip'; ip: string };

export interface MuteEntry { target: string; expiresInSeconds: number | null }

/**
 * The `arpwarden mute` keys in Redis (maintenance: a customer or an IP gets no email, with an
 * expiry when `--hours` is given), which RedisNotificationPolicy reads. The other sources of mutes:
 * `muted: true` in the inventory (the job is never built) and `mute:` in the configuration.
 */
export class MuteStore {
  constructor(private readonly redis: Redis, private readonly keys: QueueKeys) {}

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
}
