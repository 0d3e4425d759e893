import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { queueCounts } from '../../src/daemon/sinks/queue-counts.js';
import { openEmailQueue } from '../../src/email/queue/email-queue.js';
import { closeRedis, redisClient } from '../../src/email/queue/redis.js';
import type { EmailJob } from '../../src/email/job.js';
import { sampleValue, Telemetry } from '../../src/telemetry/telemetry.js';
import { statsJson } from '../../src/web/app.js';
import { prometheusText } from '../../src/web/prometheus.js';
import { MaybeSentError } from '../../src/worker/maybe-sent-error.js';
import { waitFor } from './helpers/ports.js';
import { RedisServer } from './helpers/redis-server.js';

let redis: RedisServer;
beforeAll(async () => { redis = await RedisServer.start(); });
afterAll(async () => { await redis?.close(); });

describe('the email queue\'s counts from a real redis-server (BullMQ getJobCounts)', () => {
  it('shows the waiting and delayed jobs of the configured queue as email_queue_jobs{state}', async () => {
    const cfg = { ...defaultConfig().queue, name: 'grafana-counts' };
    const conn = redisClient(redis.url, 'worker');
    const q = openEmailQueue(conn, cfg);
    const job = {} as EmailJob;
    await q.add('email', job, { jobId: 'a' });
    await q.add('email', job, { jobId: 'b' });
    await q.add('email', job, { jobId: 'c', delay: 3_600_000 });
    const t = new Telemetry();
    const counts = queueCounts(cfg, redis.url, t, 50);
    try {
      await waitFor('queue counts', async () => sampleValue(t.snapshot(), 'email_queue_jobs', { state: 'waiting' }) === 2);
      const snap = t.snapshot();
      expect(sampleValue(snap, 'email_queue_jobs', { state: 'delayed' })).toBe(1);
      expect(sampleValue(snap, 'email_queue_jobs', { state: 'failed' })).toBe(0);
    } finally {
      await counts.stop();
      await q.close();
      await closeRedis(conn);
    }
  });

  it('shows the maybe-sent jobs apart from the failed ones, as email_queue_jobs{state="maybe-sent"} on /metrics and /api/stats', async () => {
    const cfg = { ...defaultConfig().queue, name: 'maybe-sent-counts' };
    const conn = redisClient(redis.url, 'worker');
    const q = openEmailQueue(conn, cfg);
    const job = {} as EmailJob;
    await q.add('email', job, { jobId: 'unknown-outcome' });
    await q.add('email', job, { jobId: 'refused' });
    const workerConn = redisClient(redis.url, 'worker');
    // the failures as the email worker records them: a permanent one fails at once, with the error's message as its reason
    const worker = new Worker(cfg.name, async (j) => {
      throw new UnrecoverableError(j.id === 'refused' ? '550 mailbox unavailable' : new MaybeSentError('no answer from the relay after the send began (ETIMEDOUT)').message);
    }, { connection: workerConn });
    const t = new Telemetry();
    const counts = queueCounts(cfg, redis.url, t, 50);
    try {
      await waitFor('maybe-sent counted', async () => sampleValue(t.snapshot(), 'email_queue_jobs', { state: 'maybe-sent' }) === 1);
      const snap = t.snapshot();
      expect(sampleValue(snap, 'email_queue_jobs', { state: 'failed' })).toBe(1);
      expect(await prometheusText(snap)).toMatch(/^arpwarden_email_queue_jobs\{state="maybe-sent"\} 1$/m);
      const stats = statsJson(snap) as { samples: { name: string; labels: Record<string, string>; value: number }[] };
      expect(stats.samples).toContainEqual({ name: 'email_queue_jobs', labels: { state: 'maybe-sent' }, value: 1 });
    } finally {
      await counts.stop();
      await worker.close();
      await q.close();
      await Promise.all([closeRedis(conn), closeRedis(workerConn)]);
    }
  });
});
