import { describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../fixtures/email-jobs.js';
import { renderEmail } from '../email/render/render.js';
import type { EmailJob } from '../email/job.js';
import type { RenderedMail } from '../email/render/mail.js';
import { MaybeSentError } from './maybe-sent-error.js';
import type { DeferNote, MuteDeferral } from './mute-deferral.js';
import { PermanentEmailError } from './permanent-email-error.js';
import { MUTE_RECHECK_MS, type ProcessEmailDeps, processEmailJob } from './process-email-job.js';
import type { ClaimAnswer, SendClaims } from './send-claim.js';
import type { SentRecord } from './sent-ledger.js';
import type { MuteState } from '../email/policy/redis-policy.js';

const job = {
  version: 1, jobId: 'alias-netmask:198.51.100.7:0123456789abcdef', incidentId: 'i', caseId: 'alias-netmask',
  customer: { id: 'c-77', name: 'Example SARL', email: 'ops@example.net', locale: 'en' }, ip: '198.51.100.7',
  mac: '0c:c4:7a:11:22:33', vlan: 100, server: null, staleServer: null, remediation: { netmask: '255.255.255.255' },
  evidence: { openedAt: '2026-11-02T09:01:06.556706Z', lastSeen: '2026-11-02T09:02:06Z', windowSeconds: 60, counts: {}, samples: [], targets: [], macs: [], vlans: [] },
} satisfies EmailJob;

/** The claims as Redis keeps them, in memory: the marker, the live claim, the attempt record. */
class MemoryClaims implements SendClaims {
  readonly sending = new Map<string, string>();
  readonly attempts = new Map<string, { token: string; why?: string }>();
  constructor(readonly marks: Map<string, SentRecord>) {}
  async claim(id: string, token: string): Promise<ClaimAnswer> {
    const m = this.marks.get(id);
    if (m !== undefined) return { kind: 'sent', record: m };
    const holder = this.sending.get(id);
    if (holder !== undefined && holder !== token) return { kind: 'busy', retryInMs: 5000 };
    const begun = this.attempts.get(id);
    if (holder === undefined && begun !== undefined) return { kind: 'maybe-sent', since: 'then', why: begun.why ?? 'its worker died' };
    this.sending.set(id, token);
    this.attempts.set(id, { token });
    return { kind: 'claimed' };
  }
  async hold(id: string, token: string): Promise<boolean> { return this.sending.get(id) === token; }
  async sent(id: string, token: string, r: SentRecord): Promise<void> { this.marks.set(id, r); this.attempts.delete(id); if (this.sending.get(id) === token) this.sending.delete(id); }
  async unsent(id: string, token: string): Promise<void> { this.attempts.delete(id); if (this.sending.get(id) === token) this.sending.delete(id); }
  async maybeSent(id: string, token: string, why: string): Promise<void> { this.attempts.set(id, { token, why }); if (this.sending.get(id) === token) this.sending.delete(id); }
  async forget(id: string): Promise<void> { this.marks.delete(id); this.sending.delete(id); this.attempts.delete(id); }
}

class MemoryMutes implements MuteDeferral {
  state: MuteState | null = null;
  isResolved = false;
  note: DeferNote | null = null;
  released = 0;
  async mute(): Promise<MuteState | null> { return this.state; }
  async resolved(): Promise<boolean> { return this.isResolved; }
  async deferred(): Promise<DeferNote | null> { return this.note; }
  async defer(_j: EmailJob, n: DeferNote): Promise<void> { this.note ??= n; }
  async releaseCooldown(): Promise<void> { this.released++; }
}

type TestDeps = ProcessEmailDeps & { sent: RenderedMail[]; marks: Map<string, SentRecord>; claims: MemoryClaims; mutes: MemoryMutes; notes: (string | undefined)[] };

function deps(over: Partial<ProcessEmailDeps> & { marks?: Map<string, SentRecord> } = {}): TestDeps {
  const sent: RenderedMail[] = [];
  const notes: (string | undefined)[] = [];
  const marks = over.marks ?? new Map<string, SentRecord>();
  const claims = new MemoryClaims(marks);
  return {
    sent, marks, claims, notes, mutes: new MemoryMutes(),
    render: (j, note) => { notes.push(note?.mutedSince); return { to: j.customer.email, from: 'noc@example.net', replyTo: 'noc@example.net', subject: j.ip, text: 't', html: 'h', messageId: '<m@arpwarden>', headers: {} }; },
    send: async (m) => { sent.push(m); return { response: '250 ok' }; },
    outcomeUnknown: (e) => (e as { code?: string }).code === 'ETIMEDOUT',
    ledger: { sent: async (id) => marks.get(id) ?? null, markSent: async (id, r) => { marks.set(id, r); } },
    holdEveryMs: 10,
    now: () => new Date('2026-11-02T10:00:00Z'),
    ...over,
  } as TestDeps;
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

  it('muted in the configuration: completed without sending, no marker', async () => {
    const d = deps();
    d.mutes.state = { reason: 'customer c-77 muted in the configuration', permanent: true, endsAtMs: null };
    expect(await processEmailJob(job, d)).toEqual({ status: 'muted', reason: 'customer c-77 muted in the configuration' });
    expect(d.sent).toHaveLength(0);
    expect(d.marks.size).toBe(0);
  });

  it('a mute with an end defers the job to it; after it, the email goes saying it began during the maintenance', async () => {
    const d = deps();
    const end = Date.parse('2026-11-02T10:30:00Z');
    d.mutes.state = { reason: 'customer c-77 muted', permanent: false, endsAtMs: end };
    expect(await processEmailJob(job, d)).toEqual({ status: 'wait', why: 'deferred', untilMs: end, reason: 'customer c-77 muted' });
    expect(d.mutes.note).toEqual({ reason: 'customer c-77 muted', since: '2026-11-02T10:00:00.000Z' });
    // until unmuted: looked at again within the hour
    d.mutes.state = { reason: 'customer c-77 muted', permanent: false, endsAtMs: null };
    expect(await processEmailJob(job, d)).toMatchObject({ status: 'wait', untilMs: Date.parse('2026-11-02T10:00:00Z') + MUTE_RECHECK_MS });
    expect(d.sent).toHaveLength(0);
    d.mutes.state = null;
    expect(await processEmailJob(job, d)).toMatchObject({ status: 'sent' });
    expect(d.notes).toEqual(['2026-11-02T10:00:00.000Z']);
  });

  it('a deferred job whose incident resolved meanwhile: muted-resolved, its cooldown released, nothing sent', async () => {
    for (const stillMuted of [true, false]) {
      const d = deps();
      d.mutes.state = { reason: 'ip 198.51.100.7 muted', permanent: false, endsAtMs: Date.parse('2026-11-02T11:00:00Z') };
      expect(await processEmailJob(job, d)).toMatchObject({ status: 'wait' });
      d.mutes.isResolved = true;
      if (!stillMuted) d.mutes.state = null;
      expect(await processEmailJob(job, d)).toEqual({ status: 'muted-resolved', reason: 'ip 198.51.100.7 muted' });
      expect(d.mutes.released).toBe(1);
      expect(d.sent).toHaveLength(0);
    }
    // a job that never met a mute goes even when its incident is over (the usual case: the job is built at resolution)
    const plain = deps();
    plain.mutes.isResolved = true;
    expect(await processEmailJob(job, plain)).toMatchObject({ status: 'sent' });
  });

  it('another worker holds the sending claim: no send, the job waits', async () => {
    const d = deps();
    d.claims.sending.set(job.jobId, 'the-other-attempt');
    expect(await processEmailJob(job, d)).toMatchObject({ status: 'wait', why: 'busy', untilMs: Date.parse('2026-11-02T10:00:05Z') });
    expect(d.sent).toHaveLength(0);
  });

  it('a timeout after the send began: maybe-sent, not retried; the next attempt finds it so and sends nothing', async () => {
    const d = deps({ send: async () => { throw Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT' }); } });
    const e = await processEmailJob(job, d).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MaybeSentError);
    expect((e as Error).message).toMatch(/^maybe-sent: no answer from the relay after the send began .*Timeout/);
    expect(d.claims.sending.size).toBe(0);
    d.send = async (m) => { d.sent.push(m); return { response: '250 ok' }; };
    await expect(processEmailJob(job, d)).rejects.toBeInstanceOf(MaybeSentError);
    expect(d.sent).toHaveLength(0);
    // a worker that died holding the claim leaves the same record once the claim expired
    const dead = deps();
    dead.claims.attempts.set(job.jobId, { token: 'dead' });
    await expect(processEmailJob(job, dead)).rejects.toThrow(/maybe-sent: its worker died/);
    // `queue resend` forgets it: the next attempt sends
    await d.claims.forget(job.jobId);
    expect(await processEmailJob(job, d)).toMatchObject({ status: 'sent' });
    expect(d.sent).toHaveLength(1);
  });

  it('SMTP 4xx and network errors are retried, 5xx is permanent, a job that cannot be rendered too', async () => {
    for (const [err, permanent] of [[smtpError(451), false], [smtpError(550), true], [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }), false]] as const) {
      const d = deps({ send: async () => { throw err; } });
      const e = await processEmailJob(job, d).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(Error);
      expect(e instanceof PermanentEmailError).toBe(permanent);
      expect((e as Error).message).toContain('ops@example.net');
      expect(d.marks.size).toBe(0);
      // nothing went out: the claim and the attempt record are gone, a retry sends
      expect(d.claims.sending.size + d.claims.attempts.size).toBe(0);
    }
    await expect(processEmailJob(job, deps({ render: () => { throw new Error('no template'); } }))).rejects.toBeInstanceOf(PermanentEmailError);
    await expect(processEmailJob({ version: 2 }, deps())).rejects.toBeInstanceOf(PermanentEmailError);
  });

  it('a marker write that fails after the send is tried again; if it never goes, the job is held as maybe-sent', async () => {
    let fails = 2;
    const flaky = deps();
    const write = flaky.claims.sent.bind(flaky.claims);
    flaky.claims.sent = async (id, t, r) => { if (fails-- > 0) throw new Error('down'); await write(id, t, r); };
    expect(await processEmailJob(job, flaky)).toMatchObject({ status: 'sent' });
    expect(flaky.marks.has(job.jobId)).toBe(true);
    const dead = deps();
    dead.claims.sent = async () => { throw new Error('down'); };
    const e = await processEmailJob(job, dead).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MaybeSentError);
    expect((e as Error).message).toMatch(/sent .* but the sent marker could not be written/);
  }, 10_000);

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
