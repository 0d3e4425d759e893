import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../fixtures/email-jobs.js';
import type { EmailJob } from '../../src/email/job.js';
import { MemoryNotificationPolicy } from '../../src/email/policy/memory-policy.js';
import { MuteStore } from '../../src/email/policy/mute-store.js';
import type { NotificationPolicy } from '../../src/email/policy/notification-policy.js';
import { RedisNotificationPolicy } from '../../src/email/policy/redis-policy.js';
import { QueueKeys } from '../../src/email/queue/keys.js';
import { closeRedis, redisClient } from '../../src/email/queue/redis.js';
import { RedisServer } from './helpers/redis-server.js';
import { testConfig } from './helpers/setup.js';

describe('one notification policy, two stores (real redis-server)', () => {
  let server: RedisServer;
  let job: EmailJob;
  beforeAll(async () => {
    [server, [job]] = await Promise.all([RedisServer.start(), caseEmailJobs()]);
  });
  afterAll(async () => { await server?.close(); });

  /** the next incident on the same customer, IP and case: another job id, an hour later */
  const next = (j: EmailJob): EmailJob => ({ ...j, jobId: `${j.jobId}-next`, evidence: { ...j.evidence, openedAt: new Date(Date.parse(j.evidence.openedAt) + 3600e3).toISOString() } });

  async function decisions(policy: NotificationPolicy): Promise<string[]> {
    return [await policy.admit(job), await policy.admit(job), await policy.admit(next(job))];
  }

  it('the same answers from memory and from Redis: the job that took the cooldown goes again (retry, second daemon), the next one waits', async () => {
    const config = testConfig(server.url, 25);
    const redis = redisClient(server.url, 'worker');
    try {
      const keys = new QueueKeys(config.queue.name);
      const inRedis = new RedisNotificationPolicy(redis, keys, config.mute, config.queue.cooldown_hours);
      const inMemory = new MemoryNotificationPolicy(config.mute, config.queue.cooldown_hours);
      expect(await decisions(inRedis)).toEqual(['go', 'go', 'cooldown']);
      expect(await decisions(inMemory)).toEqual(['go', 'go', 'cooldown']);
      // the cooldown key holds the job id that took it, and expires with the cooldown
      const key = keys.cooldown(job.customer.id, job.ip, job.caseId);
      expect(await redis.get(key)).toBe(job.jobId);
      expect(await redis.ttl(key)).toBeGreaterThan(config.queue.cooldown_hours * 3600 - 60);

      // `arpwarden mute` keys: Redis only (the outbox has no Redis), checked before the cooldown
      const mutes = new MuteStore(redis, keys);
      await mutes.mute({ kind: 'ip', ip: job.ip }, 1);
      expect(await inRedis.admit(job)).toBe('muted');
      expect(await inRedis.mutedReason(job)).toBe(`ip ${job.ip} muted`);
      expect(await mutes.unmute({ kind: 'ip', ip: job.ip })).toBe(true);
      expect(await inRedis.admit(job)).toBe('go');
      expect(await inRedis.mutedReason(job)).toBeNull();
    } finally {
      await closeRedis(redis);
    }
  });
});
