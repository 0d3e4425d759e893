import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { queueNotifier } from '../../src/email/create-notifier.js';
import { type EmailJob, storedJobId } from '../../src/email/job.js';
import { emailJobFor } from '../../src/email/job-for-incident.js';
import type { Incident } from '../../src/incidents/incident.js';
import { EmailWorker } from '../../src/worker/email-worker.js';
import { caseEmailJobs } from '../../fixtures/email-jobs.js';
import { CliProcess, runCli, removeConfigs, writeConfig } from './helpers/cli.js';
import { caseIncidents, lifecycle, moved } from './helpers/incidents.js';
import { configuredRender } from '../../src/email/render/renderer.js';
import { waitFor } from './helpers/ports.js';
import { QueueProbe } from './helpers/queue-probe.js';
import { RedisServer } from './helpers/redis-server.js';
import { replayInto, TEST_EMAIL, testConfig } from './helpers/setup.js';
import { Cleanups } from './helpers/cleanups.js';

const render = configuredRender(configSchema.parse({ email: TEST_EMAIL }).email);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('email queue guarantees (real redis-server and SMTP server on loopback)', () => {
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
    await cleanups.run();
    await redis.ensureUp();
  });

  afterAll(async () => {
    await redis?.close();
    removeConfigs();
  });

  it('a worker killed (SIGKILL) while the relay holds the DATA phase: held as maybe-sent (the relay may have it), nothing sent again until resent', async () => {
    const smtp = await smtpSink();
    // the claim outlives the SMTP timeout (2 s here: a 4 s claim)
    const config = testConfig(redis.url, smtp.port, { smtp: { timeout_seconds: 2 } });
    const file = writeConfig(config);
    const probe = later(new QueueProbe(config));
    const job = jobs[0];
    const id = storedJobId(job.jobId);
    expect(await probe.enqueue(job)).toBe('enqueued');

    smtp.hold();
    const first = new CliProcess(['worker', '--config', file]);
    cleanups.push(() => first.kill('SIGKILL'));
    await smtp.waitHeld();
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    // this relay cancels a transaction whose client left; one that queues first would have it: we cannot tell which
    // (released only once the relay has seen the client leave: released before, it would answer 250 to a socket not yet known closed)
    await waitFor('the held transaction to end', async () => smtp.dataPhases === 1 && smtp.heldClientsGone === 1 && (await probe.counts()).active === 1);
    smtp.release();

    const second = new CliProcess(['worker', '--config', file]);
    cleanups.push(() => second.kill('SIGKILL'));
    // the stalled job goes to the second worker: the dead one's claim first makes it wait, then, expired with no
    // "sent" marker, says the email may be sent
    await waitFor('the job to be held as maybe-sent', async () => (await probe.counts()).failed === 1, 20_000);
    expect((await probe.queue.getJob(id))?.failedReason).toMatch(/^maybe-sent: /);
    await second.waitOutput(new RegExp(`${id}: maybe-sent: `));
    expect(smtp.delivered).toHaveLength(0);
    // `queue retry --all` leaves it (only `queue resend` sends a maybe-sent job)
    expect(await runCli(['queue', 'retry', '--all', '--config', file])).toMatchObject({ code: 0, stdout: 'retrying 0 failed jobs; 1 maybe sent left as it is (queue resend ID)\n' });
    await sleep(500);
    expect(await probe.counts()).toMatchObject({ failed: 1, waiting: 0, active: 0 });
    expect(smtp.delivered).toHaveLength(0);

    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(second.output).toMatch(/worker: stopped/);
  }, 60_000);

  it('SMTP down for a while: the worker retries with backoff and delivers once it is back', async () => {
    const smtp = await smtpSink();
    await smtp.stop();
    const config = testConfig(redis.url, smtp.port, { queue: { backoff_seconds: 0.2, attempts: 8 } });
    const probe = later(new QueueProbe(config));
    later(new EmailWorker({ config, render }));
    const job = jobs[1];
    await probe.enqueue(job);
    const id = storedJobId(job.jobId);
    await waitFor('two failed tries', async () => ((await probe.queue.getJob(id))?.attemptsMade ?? 0) >= 2);
    expect(smtp.delivered).toHaveLength(0);
    expect((await probe.queue.getJob(id))?.failedReason).toMatch(/ECONNREFUSED|connect/i);
    await smtp.start();
    const [mail] = await smtp.waitDelivered(1, 20_000);
    expect(mail.messageId).toBe(render(job).messageId);
    await waitFor('completion', async () => (await probe.counts()).completed === 1);
    expect((await probe.queue.getJob(id))!.attemptsMade).toBeGreaterThanOrEqual(2);
    expect(smtp.delivered).toHaveLength(1);
  });

  it('two producers (two daemons replaying the same capture) on the same incident: one job, one email', async () => {
    const smtp = await smtpSink();
    const config = testConfig(redis.url, smtp.port);
    const probe = later(new QueueProbe(config));
    const a = queueNotifier(config);
    const b = queueNotifier(config);
    await Promise.all([replayInto('case2-vmac-gateway.pcap', config, [a]), replayInto('case2-vmac-gateway.pcap', config, [b])]);
    await Promise.all([a.close(), b.close()]);
    expect(a.stats().enqueued + b.stats().enqueued).toBe(2);
    expect(await probe.counts()).toMatchObject({ waiting: 1 });
    later(new EmailWorker({ config, render }));
    await smtp.waitDelivered(1);
    // a third replay later (a restarted daemon, a replayed ticket capture): nothing new
    const c = queueNotifier(config);
    await replayInto('case2-vmac-gateway.pcap', config, [c]);
    await c.close();
    await sleep(1000);
    expect(smtp.delivered).toHaveLength(1);
    expect(await probe.counts()).toMatchObject({ completed: 1, waiting: 0, active: 0 });
  });

  it('Redis stopped under a producer that keeps receiving incidents: accept never waits, drops are counted once the buffer is full, the held jobs are enqueued when Redis is back', async () => {
    const config = testConfig(redis.url, 25, { queue: { buffer: 5, flush_seconds: 1 } });
    const probe = later(new QueueProbe(config));
    const logs: string[] = [];
    const sink = queueNotifier(config, (l) => logs.push(l));
    cleanups.push(() => sink.close());
    const incidents = Array.from({ length: 10 }, (_, i) => moved(alias, { ipOffset: 100 + i, tag: `ip${i}` }));
    for (const inc of incidents.slice(0, 2)) for (const c of lifecycle(inc)) sink.accept(c);
    await sink.idle();
    expect(await probe.counts()).toMatchObject({ waiting: 2 });

    await redis.stop({ save: true });
    let slowest = 0;
    for (const inc of incidents.slice(2)) {
      for (const c of lifecycle(inc)) {
        const t = performance.now();
        sink.accept(c);
        slowest = Math.max(slowest, performance.now() - t);
      }
    }
    // and a whole capture replayed meanwhile runs through (its incident resolves within it: its job is dropped, the buffer is full)
    const t = performance.now();
    await replayInto('case1-alias-netmask.pcap', config, [sink]);
    const replayMs = performance.now() - t;
    expect(slowest).toBeLessThan(20);
    expect(replayMs).toBeLessThan(5000);
    await sleep(300);
    expect(sink.stats()).toMatchObject({ pending: 5, dropped: 4, enqueued: 2 });
    expect(sink.stats().retries).toBeGreaterThan(0);
    expect(logs.join('\n')).toMatch(/connection refused|not connected/);

    await redis.up();
    await waitFor('the held jobs to reach Redis', () => sink.stats().pending === 0, 20_000);
    expect(sink.stats()).toMatchObject({ enqueued: 7, dropped: 4 });
    expect(await probe.counts()).toMatchObject({ waiting: 7 });
    expect(logs.join('\n')).toMatch(/is back/);
  });

  it('cooldown: an incident that resolves and comes back on the same customer, IP and case gets no second email within cooldown_hours', async () => {
    const smtp = await smtpSink();
    const config = testConfig(redis.url, smtp.port, { queue: { cooldown_hours: 1 / 3600 } });
    const probe = later(new QueueProbe(config));
    const sink = queueNotifier(config);
    cleanups.push(() => sink.close());
    const first = moved(alias, { tag: 'first' });
    const again = moved(alias, { hours: 2, tag: 'again' });
    expect(emailJobFor(again, 60)!.jobId).not.toBe(emailJobFor(first, 60)!.jobId);
    for (const c of [...lifecycle(first), ...lifecycle(again)]) sink.accept(c);
    await sink.idle();
    expect(sink.stats()).toMatchObject({ enqueued: 1, cooldown: 1 });
    // once the cooldown (1 s here) is over, the next one goes
    await sleep(2100);
    for (const c of lifecycle(moved(alias, { hours: 4, tag: 'after' }))) sink.accept(c);
    await sink.idle();
    expect(sink.stats()).toMatchObject({ enqueued: 2, cooldown: 1 });
    later(new EmailWorker({ config, render }));
    await smtp.waitDelivered(2);
    await waitFor('both jobs to complete', async () => (await probe.counts()).completed === 2);
    await sleep(300);
    expect(smtp.delivered).toHaveLength(2);
    expect(await probe.counts()).toMatchObject({ completed: 2 });
  });

  it('a relay that refuses: 5xx fails the job at once, 4xx after its tries; both stay failed until `queue retry`', async () => {
    const smtp = await smtpSink();
    const config = testConfig(redis.url, smtp.port, { queue: { attempts: 3, backoff_seconds: 0.05 } });
    const file = writeConfig(config);
    const probe = later(new QueueProbe(config));
    const worker = later(new EmailWorker({ config, render }));
    smtp.rejectRcpt = { code: 550, message: 'mailbox unavailable' };
    await probe.enqueue(jobs[2]);
    await waitFor('the 5xx job to fail', async () => (await probe.counts()).failed === 1);
    expect((await probe.queue.getJob(storedJobId(jobs[2].jobId)))!.attemptsMade).toBe(1);
    smtp.rejectRcpt = { code: 451, message: 'try again later' };
    await probe.enqueue(jobs[3]);
    await waitFor('the 4xx job to fail after 3 tries', async () => (await probe.counts()).failed === 2);
    expect((await probe.queue.getJob(storedJobId(jobs[3].jobId)))!.attemptsMade).toBe(3);
    expect(smtp.delivered).toHaveLength(0);

    const status = await runCli(['queue', 'status', '--config', file]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/completed 0\s+failed 2/);
    expect(status.stdout).toContain(storedJobId(jobs[2].jobId));
    expect(status.stdout).toMatch(/550/);

    smtp.rejectRcpt = null;
    const one = await runCli(['queue', 'retry', jobs[2].jobId, '--config', file]);
    expect(one).toMatchObject({ code: 0 });
    await smtp.waitDelivered(1);
    const all = await runCli(['queue', 'retry', '--all', '--config', file]);
    expect(all.stdout).toMatch(/retrying 1 failed job/);
    await smtp.waitDelivered(2);
    // the relay has the mail before the worker marks the job completed: wait for that too
    await waitFor('both retried jobs to complete', async () => {
      const c = await probe.counts();
      return c.completed === 2 && c.failed === 0;
    });
    expect(await probe.counts()).toMatchObject({ completed: 2, failed: 0 });
    await worker.close();
  });
});
