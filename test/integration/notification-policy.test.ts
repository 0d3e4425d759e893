import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEmailJobs, groupedEmailJobs } from '../../fixtures/email-jobs.js';
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

      // `arpwarden mute` keys: Redis only (the outbox has no Redis); the job is queued all the same, and the
      // worker defers it to the mute's end, which muteState tells
      const mutes = new MuteStore(redis, keys);
      await mutes.mute({ kind: 'ip', ip: job.ip }, 1);
      expect(await inRedis.admit(job)).toBe('go');
      expect(await inRedis.mutedReason(job)).toBe(`ip ${job.ip} muted`);
      const now = Date.now();
      const state = await inRedis.muteState(job, now);
      expect(state).toMatchObject({ reason: `ip ${job.ip} muted`, permanent: false });
      expect(state!.endsAtMs! - now).toBeGreaterThan(3590e3);
      expect(state!.endsAtMs! - now).toBeLessThanOrEqual(3600e3);
      // until unmuted: no end; both muted: both named
      await mutes.mute({ kind: 'customer', id: job.customer.id }, null);
      expect(await inRedis.muteState(job, now)).toEqual({ reason: `customer ${job.customer.id} muted, ip ${job.ip} muted`, permanent: false, endsAtMs: null });
      expect(await mutes.unmute({ kind: 'customer', id: job.customer.id })).toBe(true);
      expect(await mutes.unmute({ kind: 'ip', ip: job.ip })).toBe(true);
      expect(await inRedis.admit(job)).toBe('go');
      expect(await inRedis.mutedReason(job)).toBeNull();
      expect(await inRedis.muteState(job)).toBeNull();
      // the configuration's mutes are for good: the job is never queued
      const byConfig = new RedisNotificationPolicy(redis, keys, { customers: [job.customer.id], ips: [] }, 1);
      expect(await byConfig.admit(job)).toBe('muted');
      expect(await byConfig.muteState(job)).toMatchObject({ permanent: true });
    } finally {
      await closeRedis(redis);
    }
  });

  it('an email of several IPs, in Redis as in memory: each IP\'s cooldown and configured mute on its own, in one script; the email narrowed to the IPs let through; a maintenance mute keeps the email whole', async () => {
    const grouped = (await groupedEmailJobs()).find((j) => j.caseId === 'block-netmask')!;
    const config = testConfig(server.url, 25);
    const redis = redisClient(server.url, 'worker');
    try {
      const keys = new QueueKeys(config.queue.name);
      const inRedis = new RedisNotificationPolicy(redis, keys, config.mute, config.queue.cooldown_hours);
      const inMemory = new MemoryNotificationPolicy(config.mute, config.queue.cooldown_hours);
      // the configuration's mute of one IP narrows the email to the other, in Redis as in memory
      const cfgMute = { customers: [], ips: ['192.0.2.6'] };
      const redisCfgMuted = new RedisNotificationPolicy(redis, keys, cfgMute, config.queue.cooldown_hours);
      const memMuted = new MemoryNotificationPolicy(cfgMute, config.queue.cooldown_hours);
      for (const p of [redisCfgMuted, memMuted]) {
        const r = await p.admitEmail(grouped);
        expect([r.admission, r.job.jobId, r.job.ip, r.job.group]).toEqual(['go', grouped.jobId, '192.0.2.9', undefined]);
      }
      // the muted IP's cooldown was not taken; the other's holds the grouped email's id
      expect(await redis.get(keys.cooldown(grouped.customer.id, '192.0.2.6', grouped.caseId))).toBeNull();
      expect(await redis.get(keys.cooldown(grouped.customer.id, '192.0.2.9', grouped.caseId))).toBe(grouped.jobId);
      // unmuted, the same email (a retry) now covers both; another email on them waits for the cooldown
      for (const p of [inRedis, inMemory]) {
        expect((await p.admitEmail(grouped)).job.group?.map((g) => g.ip)).toEqual(['192.0.2.6']);
        expect(await p.admit({ ...grouped, jobId: `${grouped.jobId}-other` })).toBe('cooldown');
      }
      // `arpwarden mute` of one IP keeps the whole email (the worker defers it to the mute's end), which muteState tells
      const mutes = new MuteStore(redis, keys);
      await mutes.mute({ kind: 'ip', ip: '192.0.2.6' }, 1);
      expect((await inRedis.admitEmail(grouped)).job.group?.map((g) => g.ip)).toEqual(['192.0.2.6']);
      expect(await inRedis.muteState(grouped)).toMatchObject({ reason: 'ip 192.0.2.6 muted', permanent: false });
      await mutes.mute({ kind: 'customer', id: grouped.customer.id }, null);
      expect(await inRedis.admit({ ...grouped, jobId: 'x', ip: '198.51.100.99', group: undefined })).toBe('go');
      expect(await inRedis.muteState(grouped)).toEqual({ reason: `customer ${grouped.customer.id} muted, ip 192.0.2.6 muted`, permanent: false, endsAtMs: null });
    } finally {
      await closeRedis(redis);
    }
  });
});
