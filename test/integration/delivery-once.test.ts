import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { queueNotifier } from '../../src/email/create-notifier.js';
import { type EmailJob, storedJobId } from '../../src/email/job.js';
import { emailJobFor } from '../../src/email/job-for-incident.js';
import { MuteStore } from '../../src/email/policy/mute-store.js';
import { QueueKeys } from '../../src/email/queue/keys.js';
import { closeRedis, redisClient } from '../../src/email/queue/redis.js';
import { configuredRender } from '../../src/email/render/renderer.js';
import type { Incident } from '../../src/incidents/incident.js';
import { EmailWorker } from '../../src/worker/email-worker.js';
import { caseEmailJobs } from '../../fixtures/email-jobs.js';
import { CliProcess, removeConfigs, runCli, writeConfig } from './helpers/cli.js';
import { caseIncidents, lifecycle, moved } from './helpers/incidents.js';
import { waitFor } from './helpers/ports.js';
import { QueueProbe } from './helpers/queue-probe.js';
import { RedisServer } from './helpers/redis-server.js';
import { TEST_EMAIL, testConfig } from './helpers/setup.js';
import { Cleanups } from './helpers/cleanups.js';

const render = configuredRender(configSchema.parse({ email: TEST_EMAIL }).email);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** the line of an email held by a mute, in each locale */
const MAINTENANCE = /began during a maintenance window|commencé pendant une fenêtre de maintenance|iniziato durante una finestra di manutenzione/;

/** `n` jobs of one renderable job, each its own id (its own email). */
const copies = (job: EmailJob, n: number, tag: string): EmailJob[] => Array.from({ length: n }, (_, i) => ({ ...job, jobId: `${job.jobId}-${tag}${i}` }));

/**
 * The three duplicate-delivery paths issue 14 measured, with a real redis-server and a real SMTP server: each job
 * is delivered once, or held as maybe-sent (and shown by `queue list`), never sent twice.
 */
describe('each email delivered at most once (real redis-server and SMTP server on loopback)', () => {
  let redis: RedisServer;
  let jobs: EmailJob[];
  let alias: Incident;
  const cleanups = new Cleanups();
  const { later, smtpSink } = cleanups;

  beforeAll(async () => {
    [redis, jobs] = await Promise.all([RedisServer.start(), caseEmailJobs()]);
    alias = (await caseIncidents('case1-alias-netmask.pcap', testConfig(redis.url, 25)))[0];
  });

  afterEach(async () => {
    redis.resume();
    await cleanups.run();
    await redis.ensureUp();
  });

  afterAll(async () => {
    await redis?.close();
    removeConfigs();
  });

  it('Redis paused (SIGSTOP) past stalled_seconds while a worker sends to a relay slow to answer DATA, a second worker waiting: no email twice', async () => {
    const smtp = await smtpSink();
    // slower than the pause: the sends are still running when the stalled jobs are handed over
    smtp.replyDelayMs = 6000;
    const n = 10;
    const config = testConfig(redis.url, smtp.port, { queue: { stalled_seconds: 1, attempts: 4 }, smtp: { timeout_seconds: 8, rate_per_second: 1000, max_connections: n } });
    const probe = later(new QueueProbe(config));
    const all = copies(jobs[0], n, 'pause');
    // straight onto the queue: the cooldown would keep one email of these (same customer, IP and case)
    for (const j of all) await probe.queue.add('email', j, { jobId: storedJobId(j.jobId) });
    const a = later(new EmailWorker({ config, render }));
    await waitFor('every message read by the relay, its reply pending', () => smtp.dataPhases >= n, 15_000);
    redis.pause();
    // the second worker comes up meanwhile, with every slot free; BullMQ's locks (1 s) expire during the pause,
    // so once Redis answers again its stalled check hands it the jobs the first worker is still sending
    const b = later(new EmailWorker({ config, render }));
    await sleep(2500);
    redis.resume();
    await waitFor('every job settled', async () => {
      const c = await probe.counts();
      return c.completed + c.failed === all.length;
    }, 60_000);
    await sleep(1500);
    const byId = smtp.deliveriesById();
    const maybe = (await probe.queue.getFailed(0, -1)).filter((j) => j.failedReason?.startsWith('maybe-sent:'));
    const counts = await probe.counts();
    console.log(`redis paused 2.5 s, two workers: ${all.length} jobs, ${smtp.delivered.length} deliveries of ${byId.size} emails, ${counts.completed} completed, ${maybe.length} maybe-sent; `
      + `first worker ${JSON.stringify(a.counts)}, second ${JSON.stringify(b.counts)}`);
    expect(Math.max(...byId.values())).toBe(1);
    expect(counts.failed).toBe(maybe.length);
    // every job that is not held as maybe-sent was delivered
    expect(smtp.delivered.length).toBeGreaterThanOrEqual(all.length - maybe.length);
    // the second worker was handed jobs being sent, and waited on their claims instead of sending
    expect(b.counts.busy).toBeGreaterThan(0);
  }, 120_000);

  it('a relay slower than smtp.timeout_seconds to answer the final DATA, which keeps the message: one copy, held as maybe-sent, shown by queue list; resent only by queue resend', async () => {
    const smtp = await smtpSink();
    smtp.queueFirst = true;
    smtp.replyDelayMs = 2500;
    const config = testConfig(redis.url, smtp.port, { queue: { attempts: 4, backoff_seconds: 0.1 }, smtp: { timeout_seconds: 1 } });
    const file = writeConfig(config);
    const probe = later(new QueueProbe(config));
    const job = jobs[1];
    const id = storedJobId(job.jobId);
    await probe.enqueue(job);
    const worker = later(new EmailWorker({ config, render }));
    await waitFor('the job held as maybe-sent', async () => (await probe.counts()).failed === 1, 20_000);
    await sleep(3000);
    console.log(`relay slower than the timeout: ${smtp.delivered.length} delivery (attempts 4), worker counts ${JSON.stringify(worker.counts)}`);
    expect(smtp.delivered).toHaveLength(1);
    expect((await probe.queue.getJob(id))?.attemptsMade).toBe(1);

    const list = await runCli(['queue', 'list', '--state', 'maybe-sent', '--config', file]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+STATE\s+CUSTOMER\s+IP\s+CASE\s+AGE\s+TRIES\s+LAST ERROR/);
    expect(list.stdout).toContain(`${id}  maybe-sent  ${job.customer.id}`);
    expect(list.stdout).toMatch(/1\/4\s+maybe-sent: no answer from the relay after the send began/);
    const json = JSON.parse((await runCli(['queue', 'list', '--format', 'json', '--config', file])).stdout) as { jobs: { id: string; state: string; ip: string }[] };
    expect(json.jobs).toEqual([expect.objectContaining({ id, state: 'maybe-sent', ip: job.ip })]);
    // a worker that lost its claim and wrote its marker late: the list says the email went after all
    const keys = new QueueKeys(config.queue.name);
    const direct = redisClient(redis.url, 'worker');
    cleanups.push(() => closeRedis(direct));
    await direct.set(keys.sent(job.jobId), JSON.stringify({ messageId: '<late@provider.example>', sentAt: '2026-11-02T10:00:00.000Z' }));
    expect((await runCli(['queue', 'list', '--state', 'maybe-sent', '--config', file])).stdout).toContain('sent after all (<late@provider.example> at 2026-11-02T10:00:00.000Z): nothing to resend');
    await direct.del(keys.sent(job.jobId));
    const status = await runCli(['queue', 'status', '--config', file]);
    expect(status.stdout).toMatch(/failed 0\s+maybe-sent 1/);
    expect(status.stdout).toContain(`maybe-sent ${id}`);
    // queue retry leaves it; resend asks for --yes when stdin is not a terminal
    expect(await runCli(['queue', 'retry', id, '--config', file])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^arpwarden: queue retry: job \S+ is maybe sent .*queue resend/) });
    expect(await runCli(['queue', 'resend', id, '--config', file])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^arpwarden: queue resend \S+: the customer may get a second copy; add --yes .*\n$/) });
    expect(await runCli(['queue', 'resend', 'nope_1', '--yes', '--config', file])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^arpwarden: queue resend: no job nope_1 on test-\S+\n$/) });
    expect(smtp.delivered).toHaveLength(1);

    smtp.replyDelayMs = 0;
    const resent = await runCli(['queue', 'resend', id, '--yes', '--config', file]);
    expect(resent).toMatchObject({ code: 0, stdout: `resending ${id} (maybe sent) to ${job.customer.email}: its sent marker cleared\n` });
    await smtp.waitDelivered(2);
    await waitFor('completion', async () => (await probe.counts()).completed === 1);
    // a completed one can be resent too (the customer lost it): the sent marker goes, one more copy
    expect(await runCli(['queue', 'resend', id, '--yes', '--config', file])).toMatchObject({ code: 0, stdout: expect.stringContaining('(completed)') });
    await smtp.waitDelivered(3);
    await waitFor('completion again', async () => (await probe.counts()).completed === 1);
    await sleep(500);
    expect(smtp.delivered).toHaveLength(3);
    expect(await runCli(['queue', 'list', '--config', file])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^no waiting, delayed, active, failed or maybe-sent jobs/) });
  }, 60_000);

  it('a worker killed (SIGKILL) after the data went out, against a relay that queues before it replies: one delivery, then held as maybe-sent', async () => {
    const smtp = await smtpSink();
    smtp.queueFirst = true;
    smtp.hold();
    const config = testConfig(redis.url, smtp.port, { smtp: { timeout_seconds: 2 } });
    const file = writeConfig(config);
    const probe = later(new QueueProbe(config));
    const job = jobs[2];
    const id = storedJobId(job.jobId);
    await probe.enqueue(job);
    const first = new CliProcess(['worker', '--config', file]);
    cleanups.push(() => first.kill('SIGKILL'));
    await smtp.waitDelivered(1);
    first.kill('SIGKILL');
    await first.exited;
    smtp.release();
    const second = new CliProcess(['worker', '--config', file]);
    cleanups.push(() => second.kill('SIGKILL'));
    await waitFor('the job held as maybe-sent', async () => (await probe.counts()).failed === 1, 20_000);
    await second.waitOutput(new RegExp(`${id}: maybe-sent: a send began and its worker stopped before the relay answered`));
    await sleep(1000);
    console.log(`worker killed after DATA, relay queues first: ${smtp.delivered.length} delivery`);
    expect(smtp.delivered).toHaveLength(1);
    const list = await runCli(['queue', 'list', '--config', file]);
    expect(list.stdout).toContain(`${id}  maybe-sent`);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 60_000);

  it('mutes defer: the job waits for the mute\'s end and goes saying it began during the maintenance, or completes muted-resolved when its incident resolved meanwhile', async () => {
    const smtp = await smtpSink();
    const config = testConfig(redis.url, smtp.port);
    const file = writeConfig(config);
    const probe = later(new QueueProbe(config));
    const keys = new QueueKeys(config.queue.name);
    const redisCli = redisClient(redis.url, 'worker');
    cleanups.push(() => closeRedis(redisCli));
    const mutes = new MuteStore(redisCli, keys);

    // an incident still open when the mute ends: queued while muted, deferred, sent after
    const open = jobs[3];
    await mutes.mute({ kind: 'customer', id: open.customer.id }, 8 / 3600);
    await probe.enqueue(open);
    const worker = later(new EmailWorker({ config, render }));
    await waitFor('the job deferred', async () => (await probe.counts()).delayed === 1, 10_000);
    const status = await runCli(['queue', 'status', '--config', file]);
    expect(status.stdout).toMatch(/delayed 1 \(1 deferred by a mute\)/);
    const list = await runCli(['queue', 'list', '--state', 'delayed', '--config', file]);
    expect(list.stdout).toContain(`${storedJobId(open.jobId)}  delayed`);
    expect(list.stdout).toContain(`deferred: customer ${open.customer.id} muted`);
    expect(smtp.delivered).toHaveLength(0);
    const [mail] = await smtp.waitDelivered(1, 15_000);
    expect(mail.text).toMatch(MAINTENANCE);
    expect(mail.messageId).toBe(render(open).messageId);

    // an incident that resolves during the mute, through the capture side's sink: recorded, and no email
    const inc = moved(alias, { tag: 'muted-resolved', hours: 5 });
    const job = emailJobFor(inc, 60)!;
    await mutes.mute({ kind: 'customer', id: job.customer.id }, 3 / 3600);
    const sink = queueNotifier(config);
    cleanups.push(() => sink.close());
    for (const c of lifecycle(inc)) sink.accept(c);
    await sink.idle();
    await sink.close();
    expect(await redisCli.exists(keys.resolved(inc.id))).toBe(1);
    await waitFor('muted-resolved', async () => (await probe.queue.getJob(storedJobId(job.jobId)))?.returnvalue?.status === 'muted-resolved', 15_000);
    // its cooldown is released: the next incident on it gets its email
    expect(await redisCli.exists(keys.cooldown(job.customer.id, job.ip, job.caseId))).toBe(0);
    await sleep(500);
    expect(smtp.delivered).toHaveLength(1);
    expect(worker.counts).toMatchObject({ sent: 1, 'muted-resolved': 1 });
    expect(worker.counts.deferred).toBeGreaterThanOrEqual(1);

    // a mute until unmuted: the job waits (an hour between looks); `unmute` lets it go at once
    const held = jobs[4];
    await mutes.mute({ kind: 'ip', ip: held.ip }, null);
    await probe.enqueue(held);
    await waitFor('the job deferred', async () => (await probe.queue.getJob(storedJobId(held.jobId)))?.isDelayed() ?? false, 10_000);
    const unmuted = await runCli(['unmute', 'ip', held.ip, '--config', file]);
    expect(unmuted).toMatchObject({ code: 0, stdout: `unmuted ip ${held.ip}; 1 deferred email goes now\n` });
    const mails = await smtp.waitDelivered(2, 15_000);
    expect(mails[1].messageId).toBe(render(held).messageId);
    expect(mails[1].text).toMatch(MAINTENANCE);
  }, 60_000);
});
