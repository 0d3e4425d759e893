import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_IDS } from '../../src/classify/verdict.js';
import { isCustomerCase } from '../../src/classify/cases.js';
import type { Config } from '../../src/config/schema.js';
import { queueNotifier } from '../../src/email/create-notifier.js';
import { type EmailJob, storedJobId } from '../../src/email/job.js';
import { EmailWorker } from '../../src/worker/email-worker.js';
import { CASE_CAPTURES, caseEmails } from '../../fixtures/email-jobs.js';
import { configuredRender } from '../../src/email/render/renderer.js';
import { freePort, waitFor } from './helpers/ports.js';
import { RedisServer } from './helpers/redis-server.js';
import { replayInto, testConfig } from './helpers/setup.js';
import { SmtpSink } from './helpers/smtp-sink.js';

/** The values the customer must configure (a split block's own netmask and broadcast are not among them: its IPs are /32 failovers). */
function remediationValues(job: EmailJob): string[] {
  const r = job.remediation;
  const usable = job.caseId === 'portable-block-unusable' ? [r.block?.firstUsable, r.block?.lastUsable] : [];
  return [r.netmask, r.broadcast, r.gateway, r.virtualMac, ...usable].filter((v): v is string => v !== undefined);
}

describe('warning emails: a case capture replayed into the queue, delivered by the worker over SMTP', () => {
  let redis: RedisServer;
  let smtp: SmtpSink;
  let config: Config;
  let worker: EmailWorker;
  let expected: EmailJob[];

  beforeAll(async () => {
    [redis, smtp, expected] = await Promise.all([RedisServer.start(), freePort().then((p) => new SmtpSink(p)), caseEmails()]);
    await smtp.start();
    config = testConfig(redis.url, smtp.port, { email: { group_seconds: 300 } });
    worker = new EmailWorker({ config, render: configuredRender(config.email) });
  });

  afterAll(async () => {
    await worker?.close();
    await smtp?.stop();
    await redis?.close();
  });

  const caseIds = CASE_IDS.filter((c) => isCustomerCase(c));
  it.each(caseIds)('%s', async (caseId) => {
    const capture = CASE_CAPTURES.find((c) => c.includes(caseId))!;
    const sink = queueNotifier(config);
    await replayInto(capture, config, [sink]);
    await sink.close();
    const want = expected.filter((j) => j.caseId === caseId);
    expect(want.length).toBeGreaterThan(0);
    expect(sink.stats()).toMatchObject({ enqueued: want.length, dropped: 0, cooldown: 0, muted: 0 });
    for (const job of want) {
      const r = configuredRender(config.email)(job);
      let mail: ParsedMail | undefined;
      await waitFor(`the email of ${job.jobId}`, () => (mail = smtp.delivered.find((m) => m.messageId === r.messageId)) !== undefined);
      expect(mail!.subject).toBe(r.subject);
      // one id: the subject's reference, X-Arpwarden-Id and the Message-ID's local part, at the sender's domain
      const id = storedJobId(job.jobId);
      expect(mail!.subject!.endsWith(` [${id}]`)).toBe(true);
      expect(mail!.headers.get('x-arpwarden-id')).toBe(id);
      expect(mail!.messageId).toBe(`<${id}@provider.example>`);
      expect(mail!.from?.value).toEqual([{ name: 'Test Provider NOC', address: 'noc@provider.example' }]);
      expect(mail!.headers.get('x-arpwarden-case')).toBe(caseId);
      const to = mail!.to;
      expect(Array.isArray(to) ? to.map((a) => a.text) : to?.text).toBe(job.customer.email);
      for (const v of remediationValues(job)) expect(mail!.text).toContain(v);
      // a portable block's machine is moved to a usable address the capture did not show in use (.66 and .67 were)
      for (const a of job.remediation.block?.inUse ?? []) expect(mail!.text).not.toMatch(new RegExp(`^ +address ${a.replaceAll('.', '\\.')}$`, 'm'));
      // (the gateway's address, an email apart, from the block's other end: not the same free address as the others')
      if (caseId === 'portable-block-unusable') expect(mail!.text).toMatch(job.ip === '198.51.100.65' ? /^ +address 198\.51\.100\.70$/m : /^ +address 198\.51\.100\.68$/m);
      if (job.staleServer) expect(mail!.text).toContain(job.staleServer.id);
      // a grouped email (two IPs of one block): every IP's evidence
      for (const e of [job.evidence, ...(job.group ?? []).map((g) => g.evidence)]) for (const line of e.samples) expect(mail!.text).toContain(line);
      expect(smtp.delivered.filter((m) => m.messageId === r.messageId)).toHaveLength(1);
    }
  });
});
