import { beforeAll, describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../../fixtures/email-jobs.js';
import type { EmailJob } from '../job.js';
import { MemoryNotificationPolicy } from './memory-policy.js';

const NO_MUTES = { customers: [], ips: [] };
/** the job of an incident that opened `hours` after this one, on the same customer, IP and case */
const later = (job: EmailJob, hours: number): EmailJob => ({
  ...job, jobId: `${job.jobId}+${hours}`,
  evidence: { ...job.evidence, openedAt: new Date(Date.parse(job.evidence.openedAt) + hours * 3600e3).toISOString() },
});

describe('MemoryNotificationPolicy (the outbox: packet time, no Redis)', () => {
  let job: EmailJob;
  beforeAll(async () => { job = (await caseEmailJobs())[0]; });

  it('one email per customer, IP and case within the cooldown, on the incidents\' own time; the same job again still goes', async () => {
    const p = new MemoryNotificationPolicy(NO_MUTES, 24);
    expect(await p.admit(job)).toBe('go');
    expect(await p.admit(job)).toBe('go');
    expect(await p.admit(later(job, 23))).toBe('cooldown');
    expect(await p.admit(later(job, 25))).toBe('go');
    expect(await p.admit(later(job, 26))).toBe('cooldown');
    expect(await p.admit({ ...later(job, 26), caseId: 'duplicate-ip' })).toBe('go');
  });

  it('no cooldown with cooldown_hours 0; the configuration\'s mutes, by customer or IP', async () => {
    const p = new MemoryNotificationPolicy(NO_MUTES, 0);
    expect(await p.admit(job)).toBe('go');
    expect(await p.admit(later(job, 1))).toBe('go');
    const byCustomer = new MemoryNotificationPolicy({ customers: [job.customer.id], ips: [] }, 24);
    expect(await byCustomer.admit(job)).toBe('muted');
    expect(await byCustomer.mutedReason(job)).toBe(`customer ${job.customer.id} muted in the configuration`);
    const byIp = new MemoryNotificationPolicy({ customers: [], ips: [job.ip] }, 24);
    expect(await byIp.admit(job)).toBe('muted');
    expect(await p.mutedReason(job)).toBeNull();
  });

  it('the cooldowns taken survive a restart: saved by one run, restored by the next, which then mails nothing again', async () => {
    const before = new MemoryNotificationPolicy(NO_MUTES, 24);
    expect(await before.admit(job)).toBe('go');
    const saved = JSON.parse(JSON.stringify(before.saved())) as unknown;
    const after = new MemoryNotificationPolicy(NO_MUTES, 24);
    after.restore(saved);
    expect(await after.admit(later(job, 2))).toBe('cooldown');
    expect(await after.admit(job)).toBe('go');
    // an edited entry is skipped, the others taken
    const edited = new MemoryNotificationPolicy(NO_MUTES, 24);
    edited.restore([['x', 1, 2], ...(saved as unknown[])]);
    expect(edited.saved()).toEqual(before.saved());
  });
});

describe('MemoryNotificationPolicy: years of running', () => {
  it('saved() leaves out the cooldowns that have ended (packet time has passed them by cooldown_hours): the state does not grow for ever', async () => {
    const job = (await caseEmailJobs())[0];
    const p = new MemoryNotificationPolicy(NO_MUTES, 24);
    expect(await p.admit(job)).toBe('go');
    expect(await p.admit({ ...later(job, 10), caseId: 'duplicate-ip' })).toBe('go');
    expect(p.saved()).toHaveLength(2);
    // a day and more on, another customer IP: the first cooldown has ended, the second not yet
    expect(await p.admit({ ...later(job, 30), ip: '198.51.100.200' })).toBe('go');
    expect(p.saved().map(([key]) => key.split('|').slice(1).join('|')).sort()).toEqual([`${job.ip}|duplicate-ip`, `198.51.100.200|${job.caseId}`].sort());
    // forgotten, and it held nothing back: the IP's next email goes
    expect(await p.admit(later(job, 31))).toBe('go');
  });
});

describe('MemoryNotificationPolicy: an email of several IPs', () => {
  let grouped: EmailJob;
  let single: EmailJob;
  beforeAll(async () => {
    const { groupedEmailJobs } = await import('../../../fixtures/email-jobs.js');
    grouped = (await groupedEmailJobs()).find((j) => j.caseId === 'block-netmask')!;
    single = { ...grouped, group: undefined };
  });

  it('takes every IP\'s cooldown under its one id; a later email goes for the IPs whose cooldown is free, narrowed to them, or not at all', async () => {
    const p = new MemoryNotificationPolicy(NO_MUTES, 24);
    // the first IP alone, earlier: its cooldown is taken by another job
    expect(await p.admit({ ...single, jobId: 'earlier' })).toBe('go');
    const r = await p.admitEmail(grouped);
    expect(r.admission).toBe('go');
    expect(r.job).toMatchObject({ jobId: grouped.jobId, ip: '192.0.2.6', incidentId: grouped.group![0].incidentId });
    expect(r.job.group).toBeUndefined();
    // again (a retry): the same narrowed answer
    expect((await p.admitEmail(grouped)).job.ip).toBe('192.0.2.6');
    const next = await p.admitEmail({ ...grouped, jobId: 'next' });
    expect(next.admission).toBe('cooldown');
  });

  it('an IP muted in the configuration is left out; all muted: muted', async () => {
    const p = new MemoryNotificationPolicy({ customers: [], ips: ['192.0.2.9'] }, 24);
    const r = await p.admitEmail(grouped);
    expect([r.admission, r.job.ip, r.job.group]).toEqual(['go', '192.0.2.6', undefined]);
    const all = new MemoryNotificationPolicy({ customers: [grouped.customer.id], ips: [] }, 24);
    expect((await all.admitEmail(grouped)).admission).toBe('muted');
    // one muted, the other in its cooldown: none goes, and the email counts as muted
    expect(await p.admitEmail({ ...grouped, jobId: 'other' })).toMatchObject({ admission: 'muted' });
  });
});
