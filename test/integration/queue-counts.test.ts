import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, defaultConfig } from '../../src/config/schema.js';
import { queueCounts } from '../../src/daemon/sinks/queue-counts.js';
import { MuteStore } from '../../src/email/policy/mute-store.js';
import { openEmailQueue } from '../../src/email/queue/email-queue.js';
import { QueueKeys } from '../../src/email/queue/keys.js';
import { closeRedis, redisClient } from '../../src/email/queue/redis.js';
import { readWorkerTotals } from '../../src/email/queue/totals.js';
import { type EmailJob, storedJobId } from '../../src/email/job.js';
import { configuredRender } from '../../src/email/render/renderer.js';
import { EmailWorker } from '../../src/worker/email-worker.js';
import { RedisSendClaims } from '../../src/worker/send-claim.js';
import { caseEmailJobs } from '../../fixtures/email-jobs.js';
import { QueueProbe } from './helpers/queue-probe.js';
import { TEST_EMAIL, testConfig } from './helpers/setup.js';
import { sampleValue, Telemetry } from '../../src/telemetry/telemetry.js';
import { statsJson } from '../../src/web/app.js';
import { prometheusText } from '../../src/web/prometheus.js';
import { MaybeSentError } from '../../src/worker/maybe-sent-error.js';
import { waitFor } from './helpers/ports.js';
import { Cleanups } from './helpers/cleanups.js';
import { removeConfigs, writeConfig } from './helpers/cli.js';
import { queueResendCommand } from '../../src/cli/queue-resend.js';
import { RedisOutcomeTotals } from '../../src/worker/outcome-totals.js';
import { RedisServer } from './helpers/redis-server.js';

let redis: RedisServer;
beforeAll(async () => { redis = await RedisServer.start(); });
afterAll(async () => { await redis?.close(); removeConfigs(); });

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

describe('the workers\' totals: sent, failed, maybe-sent, muted-resolved, counted once each in Redis and read by the daemon', () => {
  const render = configuredRender(configSchema.parse({ email: TEST_EMAIL }).email);

  it('a real EmailWorker\'s outcomes as email_worker_jobs_total{outcome} on the snapshot, /metrics and /api/stats; a job failed again or a marker written twice counts nothing more', async () => {
    const jobs = await caseEmailJobs();
    const [sent, refused, unknown, resolved] = jobs;
    expect(new Set([sent, refused, unknown, resolved].map((j) => j.ip)).size).toBe(4);
    // the relay as the worker meets it: a 250, a 550 (nothing went out), a timeout after DATA began (it may have it)
    const failures = new Map<string, Error>([
      [render(refused).messageId, Object.assign(new Error('550 mailbox unavailable'), { responseCode: 550 })],
      [render(unknown).messageId, Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' })],
    ]);
    const delivered: string[] = [];
    const sender = {
      send: async (m: { messageId: string }) => {
        const e = failures.get(m.messageId);
        if (e !== undefined) throw e;
        delivered.push(m.messageId);
        return { response: '250 2.0.0 Ok: queued' };
      },
      close: () => {},
    };
    const config = testConfig(redis.url, 25, { queue: { attempts: 2 } });
    const keys = new QueueKeys(config.queue.name);
    const conn = redisClient(redis.url, 'worker');
    const probe = new QueueProbe(config);
    // muted for a minute, its incident resolved meanwhile (as the capture side records it): muted-resolved, no email
    await new MuteStore(conn, keys).mute({ kind: 'ip', ip: resolved.ip }, 60 / 3600);
    await conn.set(keys.resolved(resolved.incidentId), '1', 'EX', 600);
    const worker = new EmailWorker({ config, render, sender });
    const t = new Telemetry();
    const counts = queueCounts(config.queue, redis.url, t, 50);
    try {
      for (const j of [sent, refused, unknown, resolved]) expect(await probe.enqueue(j)).toBe('enqueued');
      await waitFor('the four outcomes', async () => (await probe.counts()).completed === 2 && (await probe.counts()).failed === 2, 15_000);
      const want = { sent: 1, failed: 1, 'maybe-sent': 1, muted: 0, 'muted-resolved': 1 };
      await waitFor('the daemon\'s totals', async () => sampleValue(t.snapshot(), 'email_worker_jobs_total', { outcome: 'muted-resolved' }) === 1);
      const snap = t.snapshot();
      for (const [outcome, n] of Object.entries(want)) expect([outcome, sampleValue(snap, 'email_worker_jobs_total', { outcome })]).toEqual([outcome, n]);
      expect(await prometheusText(snap)).toMatch(/^arpwarden_email_worker_jobs_total\{outcome="sent"\} 1$/m);
      expect(await prometheusText(snap)).toMatch(/^arpwarden_email_worker_jobs_total\{outcome="maybe-sent"\} 1$/m);
      const stats = statsJson(snap) as { samples: { name: string; labels: Record<string, string>; value: number }[] };
      expect(stats.samples).toContainEqual({ name: 'email_worker_jobs_total', labels: { outcome: 'failed' }, value: 1 });
      expect(delivered).toEqual([render(sent).messageId]);
      expect(worker.counts).toMatchObject({ sent: 1, 'maybe-sent': 1, 'muted-resolved': 1, failed: 1 });

      // `queue retry` of the refused job, refused again: still one job failed for good
      await (await probe.queue.getJob(storedJobId(refused.jobId)))!.retry();
      await waitFor('the retried job failed again', async () => worker.counts.failed === 2, 10_000);
      // the "sent" marker's script run again (its reply lost, tried again): the send is counted once
      const claims = new RedisSendClaims(conn, keys, 2000, 600);
      await claims.sent('lost-reply', 'token', { messageId: '<lost-reply@example.net>', sentAt: new Date().toISOString() });
      await claims.sent('lost-reply', 'token', { messageId: '<lost-reply@example.net>', sentAt: new Date().toISOString() });
      expect(await readWorkerTotals(conn, keys)).toEqual({ ...want, sent: 2 });
    } finally {
      await counts.stop();
      await worker.close();
      await probe.close();
      await closeRedis(conn);
    }
  }, 30_000);

  it('queue resend starts a new delivery: its final outcome counted once more (failed again, maybe-sent again, or one sent), never twice for one delivery (real SMTP server)', async () => {
    const cleanups = new Cleanups();
    const smtp = await cleanups.smtpSink();
    const jobs = await caseEmailJobs();
    const config = testConfig(redis.url, smtp.port, { queue: { attempts: 2, backoff_seconds: 0.1 }, smtp: { timeout_seconds: 1 } });
    const file = writeConfig(config);
    const keys = new QueueKeys(config.queue.name);
    const conn = redisClient(redis.url, 'worker');
    cleanups.push(() => closeRedis(conn));
    const probe = cleanups.later(new QueueProbe(config));
    const worker = cleanups.later(new EmailWorker({ config, render }));
    const totals = (): Promise<Record<string, number>> => readWorkerTotals(conn, keys);
    const said: string[] = [];
    const resend = async (id: string): Promise<void> => {
      expect(await queueResendCommand(id, { config: file, yes: true }, { write: (t: string) => said.push(t) } as unknown as NodeJS.WritableStream)).toBe(0);
    };
    /** waits until the worker has seen `n` more of `what` (its own per-process counts), then reads the totals */
    const after = async (what: 'failed' | 'maybe-sent' | 'sent', n: number): Promise<Record<string, number>> => {
      await waitFor(`${n} ${what}`, () => worker.counts[what] >= n, 15_000);
      return totals();
    };
    try {
      const [refused, unknown] = jobs;
      const refusedId = storedJobId(refused.jobId);
      const unknownId = storedJobId(unknown.jobId);
      // refused for good (a 5xx), resent, refused again: two deliveries that failed
      smtp.rejectRcpt = { code: 550, message: 'mailbox unavailable' };
      expect(await probe.enqueue(refused)).toBe('enqueued');
      expect(await after('failed', 1)).toMatchObject({ failed: 1, sent: 0 });
      await resend(refusedId);
      expect(await after('failed', 2)).toMatchObject({ failed: 2, sent: 0 });
      // one delivery's count is still written once: the worker's second chance (its failed event) counts nothing more
      expect(await new RedisOutcomeTotals(conn, keys, 600).countOnce(refusedId, 'failed')).toBe(false);
      // resent once more and delivered: one sent; the failures stay (they happened)
      smtp.rejectRcpt = null;
      await resend(refusedId);
      expect(await after('sent', 1)).toMatchObject({ failed: 2, sent: 1 });

      // a relay that keeps the message but answers after smtp.timeout_seconds: maybe-sent; resent, the same again; then sent
      smtp.queueFirst = true;
      smtp.replyDelayMs = 2500;
      expect(await probe.enqueue(unknown)).toBe('enqueued');
      expect(await after('maybe-sent', 1)).toMatchObject({ 'maybe-sent': 1, sent: 1 });
      await resend(unknownId);
      expect(await after('maybe-sent', 2)).toMatchObject({ 'maybe-sent': 2, sent: 1 });
      smtp.replyDelayMs = 0;
      await resend(unknownId);
      expect(await after('sent', 2)).toMatchObject({ 'maybe-sent': 2, sent: 2, failed: 2 });
      // a completed job resent (the customer lost it) and delivered again: one more sent
      await resend(unknownId);
      expect(await after('sent', 3)).toEqual({ sent: 3, failed: 2, 'maybe-sent': 2, muted: 0, 'muted-resolved': 0 });
      expect(said.filter((l) => l.startsWith('resending'))).toHaveLength(5);
    } finally {
      await cleanups.run();
    }
  }, 60_000);
});
