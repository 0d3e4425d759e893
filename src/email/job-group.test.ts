import { beforeAll, describe, expect, it } from 'vitest';
import { caseEmails, groupedEmailJobs } from '../../fixtures/email-jobs.js';
import { defaultConfig } from '../config/schema.js';
import { jobIncidentIds, jobIps, type EmailJob } from './job.js';
import { groupMicros, narrowJob } from './job-group.js';

describe('the email of a block', () => {
  let grouped: EmailJob[];
  beforeAll(async () => { grouped = await groupedEmailJobs(); });

  it('two members of one unsplit block with one mistake give one email (fixtures/captures/case1a-block-netmask-two-ips.pcap); a block\'s reserved address stands apart', async () => {
    expect(grouped.map((j) => [j.caseId, ...jobIps(j)])).toEqual([['block-netmask', '192.0.2.9', '192.0.2.6']]);
    for (const j of grouped) expect(jobIncidentIds(j)).toHaveLength(2);
    const emails = await caseEmails();
    // 192.0.2.5 and 192.0.2.15 open within the window, one customer, case and block: the broadcast is removed, not
    // given the block's netmask, so it is not "the same change" as 192.0.2.5's
    expect(emails.filter((j) => j.caseId === 'block-netmask').map((j) => [j.ip, j.group])).toEqual([['192.0.2.5', undefined], ['192.0.2.15', undefined]]);
    // the portable /29's broadcast .71 and gateway .65 (the router's address, which only its email says) each have
    // their own; its network and broadcast, both given up, share one (test/integration/email-groups.test.ts)
    expect(emails.filter((j) => j.caseId === 'portable-block-unusable').map((j) => [j.ip, j.group])).toEqual([['198.51.100.71', undefined], ['198.51.100.65', undefined]]);
  });

  it('narrowed to the IPs let through: the first kept leads, the job id stays; all kept is the same job', () => {
    const j = grouped[0];
    expect(narrowJob(j, [true, true])).toBe(j);
    const second = narrowJob(j, [false, true]);
    expect(second).toMatchObject({ jobId: j.jobId, ip: '192.0.2.6', incidentId: j.group![0].incidentId, evidence: j.group![0].evidence });
    expect(second.group).toBeUndefined();
    const first = narrowJob(j, [true, false]);
    expect(jobIps(first)).toEqual(['192.0.2.9']);
    expect(first.evidence).toBe(j.evidence);
  });

  it('the window is email.group_seconds, never longer than the quiet period', () => {
    expect(groupMicros(defaultConfig())).toBe(300e6);
    const c = defaultConfig();
    expect(groupMicros({ ...c, email: { ...c.email, group_seconds: 900 } })).toBe(300e6);
    expect(groupMicros({ ...c, email: { ...c.email, group_seconds: 0 } })).toBe(0);
  });
});
