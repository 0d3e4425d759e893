import type { Redis } from 'ioredis';
import type { QueueKeys } from '../queue/keys.js';

/** One cooldown the policy took: no other email for this (customer, IP, case) until it expires. */
export interface CooldownEntry {
  customerId: string;
  ip: string;
  caseId: string;
  /** the job whose email took it (the key's value) */
  jobId: string;
  /** seconds left, or null when the key has no expiry (set by hand) */
  expiresInSeconds: number | null;
}

export type CooldownTarget = { kind: 'customer'; id: string } | { kind: 'ip'; ip: string };

const matches = (t: CooldownTarget, e: Pick<CooldownEntry, 'customerId' | 'ip'>): boolean =>
  (t.kind === 'customer' ? e.customerId === t.id : e.ip === t.ip);

/**
 * The cooldown keys RedisNotificationPolicy writes (`queue.cooldown_hours`), for the operator:
 * listed, and cleared per customer or per IP (every case) so that the next incident mails at once.
 */
export class CooldownStore {
  constructor(private readonly redis: Redis, private readonly keys: QueueKeys) {}

  async list(): Promise<CooldownEntry[]> {
    const out: CooldownEntry[] = [];
    for (const key of await this.scan()) {
      const target = this.keys.cooldownTarget(key);
      if (target === null) continue;
      const [jobId, ttl] = await Promise.all([this.redis.get(key), this.redis.ttl(key)]);
      // expired between the scan and the read
      if (jobId === null || ttl === -2) continue;
      out.push({ ...target, jobId, expiresInSeconds: ttl < 0 ? null : ttl });
    }
    return out.sort((a, b) => a.customerId.localeCompare(b.customerId) || a.ip.localeCompare(b.ip, 'en', { numeric: true }) || a.caseId.localeCompare(b.caseId));
  }

  /** Removes every cooldown of the customer or IP; answers those removed. */
  async clear(t: CooldownTarget): Promise<CooldownEntry[]> {
    const gone: CooldownEntry[] = [];
    for (const e of await this.list()) {
      if (!matches(t, e)) continue;
      if ((await this.redis.del(this.keys.cooldown(e.customerId, e.ip, e.caseId))) > 0) gone.push(e);
    }
    return gone;
  }

  private async scan(): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', this.keys.cooldownPattern(), 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return [...new Set(keys)];
  }
}
