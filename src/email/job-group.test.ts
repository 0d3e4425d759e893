import { beforeAll, describe, expect, it } from 'vitest';
import { groupedEmailJobs } from '../../fixtures/email-jobs.js';
import { defaultConfig } from '../config/schema.js';
import { jobIncidentIds, jobIps, type EmailJob } from './job.js';
import { groupMicros, narrowJob } from './job-group.js';

describe('the email of a block', () => {
  let grouped: EmailJob[];
  beforeAll(async () => { grouped = await groupedEmailJobs(); });

  it('the case captures give two grouped emails: the unsplit /28\'s two addresses, the portable /29\'s two', () => {
    expect(grouped.map((j) => [j.caseId, ...jobIps(j)])).toEqual([
      ['block-netmask', '192.0.2.5', '192.0.2.15'],
      ['portable-block-unusable', '198.51.100.71', '198.51.100.65'],
    ]);
    for (const j of grouped) expect(jobIncidentIds(j)).toHaveLength(2);
  });

  it('narrowed to the IPs let through: the first kept leads, the job id stays; all kept is the same job', () => {
    const j = grouped[1];
    expect(narrowJob(j, [true, true])).toBe(j);
    const second = narrowJob(j, [false, true]);
    expect(second).toMatchObject({ jobId: j.jobId, ip: '198.51.100.65', incidentId: j.group![0].incidentId, evidence: j.group![0].evidence });
    expect(second.group).toBeUndefined();
    const first = narrowJob(j, [true, false]);
    expect(jobIps(first)).toEqual(['198.51.100.71']);
    expect(first.evidence).toBe(j.evidence);
  });

  it('the window is email.group_seconds, never longer than the quiet period', () => {
    expect(groupMicros(defaultConfig())).toBe(300e6);
    const c = defaultConfig();
    expect(groupMicros({ ...c, email: { ...c.email, group_seconds: 900 } })).toBe(300e6);
    expect(groupMicros({ ...c, email: { ...c.email, group_seconds: 0 } })).toBe(0);
  });
});
