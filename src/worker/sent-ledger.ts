import type { Redis } from 'ioredis';
import type { QueueKeys } from '../email/queue/keys.js';

export interface SentRecord { messageId: string; sentAt: string }

/** What the worker checks before sending and writes once the relay accepted: the job is never sent again. */
export interface SentLedger {
  sent(jobId: string): Promise<SentRecord | null>;
  markSent(jobId: string, record: SentRecord): Promise<void>;
}

/** The ledger in Redis: one key per sent job id, kept `keep_days`. */
export class RedisSentLedger implements SentLedger {
  constructor(private readonly redis: Redis, private readonly keys: QueueKeys, private readonly keepSeconds: number) {}

  async sent(jobId: string): Promise<SentRecord | null> {
    const v = await this.redis.get(this.keys.sent(jobId));
    return v === null ? null : (JSON.parse(v) as SentRecord);
  }

  async markSent(jobId: string, record: SentRecord): Promise<void> {
    await this.redis.set(this.keys.sent(jobId), JSON.stringify(record), 'EX', this.keepSeconds);
  }
}
