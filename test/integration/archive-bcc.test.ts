import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { type EmailJob, storedJobId } from '../../src/email/job.js';
import { configuredRender } from '../../src/email/render/renderer.js';
import { EmailWorker } from '../../src/worker/email-worker.js';
import { caseEmailJobs } from '../../fixtures/email-jobs.js';
import { freePort } from './helpers/ports.js';
import { QueueProbe } from './helpers/queue-probe.js';
import { RedisServer } from './helpers/redis-server.js';
import { TEST_EMAIL, testConfig } from './helpers/setup.js';
import { SmtpSink } from './helpers/smtp-sink.js';

describe('email.archive_bcc (real redis-server and SMTP server on loopback)', () => {
  let redis: RedisServer;
  let smtp: SmtpSink;
  let jobs: EmailJob[];

  beforeAll(async () => {
    [redis, smtp, jobs] = await Promise.all([RedisServer.start(), freePort().then((p) => new SmtpSink(p)), caseEmailJobs()]);
    await smtp.start();
  });

  afterAll(async () => {
    await smtp?.stop();
    await redis?.close();
  });

  it('the customer and the archive get one message, with one Message-ID, and the customer sees no Bcc', async () => {
    const base = testConfig(redis.url, smtp.port);
    const config = configSchema.parse({ ...base, email: { ...TEST_EMAIL, archive_bcc: 'Tickets <tickets@provider.example>' } });
    const probe = new QueueProbe(config);
    const worker = new EmailWorker({ config, render: configuredRender(config.email) });
    try {
      const job = jobs[0];
      expect(await probe.enqueue(job)).toBe('enqueued');
      const [mail] = await smtp.waitDelivered(1);
      expect(smtp.recipients[0]).toEqual([job.customer.email, 'tickets@provider.example']);
      expect(mail.messageId).toBe(`<${storedJobId(job.jobId)}@provider.example>`);
      expect(mail.headers.has('bcc')).toBe(false);
      const to = mail.to;
      expect(Array.isArray(to) ? to.map((a) => a.text) : to?.text).toBe(job.customer.email);
    } finally {
      await worker.close();
      await probe.close();
    }
  });

  it('without it, only the customer', async () => {
    const config = testConfig(redis.url, smtp.port);
    const probe = new QueueProbe(config);
    const worker = new EmailWorker({ config, render: configuredRender(config.email) });
    try {
      const job = jobs[1];
      expect(await probe.enqueue(job)).toBe('enqueued');
      await smtp.waitDelivered(2);
      expect(smtp.recipients[1]).toEqual([job.customer.email]);
    } finally {
      await worker.close();
      await probe.close();
    }
  });
});
