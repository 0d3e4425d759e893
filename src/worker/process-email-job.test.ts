import { describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../fixtures/email-jobs.js';
import { renderEmail } from '../email/render/render.js';
import type { EmailJob } from '../email/job.js';
import type { RenderedMail } from '../email/render/mail.js';
import { PermanentEmailError } from './permanent-email-error.js';
import { type ProcessEmailDeps, processEmailJob } from './process-email-job.js';
import type { SentRecord } from './sent-ledger.js';

const job = {
  version: 1, jobId: 'alias-netmask:198.51.100.7:0123456789abcdef', incidentId: 'i', caseId: 'alias-netmask',
  customer: { id: 'c-77', name: 'Example SARL', email: 'ops@example.net', locale: 'en' }, ip: '198.51.100.7',
  mac: '0c:c4:7a:11:22:33', vlan: 100, server: null, staleServer: null, remediation: { netmask: '255.255.255.255' },
  evidence: { openedAt: '2026-11-02T09:01:06.556706Z', lastSeen: '2026-11-02T09:02:06Z', windowSeconds: 60, counts: {}, samples: [], targets: [], macs: [], vlans: [] },
} satisfies EmailJob;

function deps(over: Partial<ProcessEmailDeps> & { marks?: Map<string, SentRecord> } = {}): ProcessEmailDeps & { sent: RenderedMail[]; marks: Map<string, SentRecord> } {
  const sent: RenderedMail[] = [];
  const marks = over.marks ?? new Map<string, SentRecord>();
  return {
    sent, marks,
    render: (j) => ({ to: j.customer.email, from: 'noc@example.net', replyTo: 'noc@example.net', subject: j.ip, text: 't', html: 'h', messageId: '<m@arpwarden>', headers: {} }),
    send: async (m) => { sent.push(m); return { response: '250 ok' }; },
    ledger: { sent: async (id) => marks.get(id) ?? null, markSent: async (id, r) => { marks.set(id, r); } },
    mutedReason: async () => null,
    now: () => new Date('2026-11-02T10:00:00Z'),
    ...over,
  };
}

const smtpError = (code: number): Error => Object.assign(new Error(`${code} no`), { responseCode: code });

describe('processEmailJob', () => {
  it('sends, then writes the sent marker', async () => {
    const d = deps();
    expect(await processEmailJob(job, d)).toEqual({ status: 'sent', response: '250 ok', messageId: '<m@arpwarden>', sentAt: '2026-11-02T10:00:00.000Z' });
    expect(d.sent).toHaveLength(1);
    expect(d.marks.get(job.jobId)).toEqual({ messageId: '<m@arpwarden>', sentAt: '2026-11-02T10:00:00.000Z' });
  });

  it('never sends a job that has its sent marker (retried, stalled or added again)', async () => {
    const d = deps();
    await processEmailJob(job, d);
    expect(await processEmailJob(job, d)).toMatchObject({ status: 'already-sent', messageId: '<m@arpwarden>' });
    expect(d.sent).toHaveLength(1);
  });

  it('a muted customer or IP: completed without sending, no marker', async () => {
    const d = deps({ mutedReason: async () => 'customer c-77 muted' });
    expect(await processEmailJob(job, d)).toEqual({ status: 'muted', reason: 'customer c-77 muted' });
    expect(d.sent).toHaveLength(0);
    expect(d.marks.size).toBe(0);
  });

  it('SMTP 4xx and network errors are retried, 5xx is permanent, a job that cannot be rendered too', async () => {
    for (const [err, permanent] of [[smtpError(451), false], [smtpError(550), true], [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }), false]] as const) {
      const d = deps({ send: async () => { throw err; } });
      const e = await processEmailJob(job, d).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(Error);
      expect(e instanceof PermanentEmailError).toBe(permanent);
      expect((e as Error).message).toContain('ops@example.net');
      expect(d.marks.size).toBe(0);
    }
    await expect(processEmailJob(job, deps({ render: () => { throw new Error('no template'); } }))).rejects.toBeInstanceOf(PermanentEmailError);
    await expect(processEmailJob({ version: 2 }, deps())).rejects.toBeInstanceOf(PermanentEmailError);
  });

  it('a marker write that fails after the send is tried again; if it never goes, the job fails saying it may be sent again', async () => {
    let fails = 2;
    const marks = new Map<string, SentRecord>();
    const flaky = deps({ marks });
    flaky.ledger = { sent: async () => null, markSent: async (id, r) => { if (fails-- > 0) throw new Error('down'); marks.set(id, r); } };
    expect(await processEmailJob(job, flaky)).toMatchObject({ status: 'sent' });
    expect(marks.has(job.jobId)).toBe(true);
    const dead = deps();
    dead.ledger = { sent: async () => null, markSent: async () => { throw new Error('down'); } };
    await expect(processEmailJob(job, dead)).rejects.toThrow(/sent .* but the sent marker could not be written/);
  });

  it('a job queued before the evidence had targets and MACs (an upgrade with jobs waiting) still renders and goes', async () => {
    const current = (await caseEmailJobs()).find((j) => j.caseId === 'duplicate-ip')!;
    const { targets: _t, macs: _m, vlans: _v, ...oldEvidence } = current.evidence;
    const old: unknown = JSON.parse(JSON.stringify({ ...current, evidence: oldEvidence }));
    const rendered: string[] = [];
    const d = deps({ render: (j) => { const m = renderEmail(j, { from: 'noc@example.net', replyTo: 'noc@example.net', provider: 'P' }); rendered.push(m.text); return m; } });
    expect(await processEmailJob(old, d)).toMatchObject({ status: 'sent' });
    expect(d.sent).toHaveLength(1);
    // the evidence lines are there; what needed the structured evidence is left out
    for (const line of current.evidence.samples) expect(rendered[0]).toContain(line);
    expect(rendered[0]).not.toContain('The lines alternate between');
  });
});
