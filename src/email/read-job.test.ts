import { describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../fixtures/email-jobs.js';
import { readEmailJob } from './read-job.js';

describe('readEmailJob', () => {
  it('takes a job as it comes back from Redis, and fills in the evidence lists a job of an older version lacks', async () => {
    const job = (await caseEmailJobs())[0];
    expect(readEmailJob(JSON.parse(JSON.stringify(job)))).toEqual(job);
    const { targets: _t, macs: _m, vlans: _v, ...oldEvidence } = job.evidence;
    const old = readEmailJob(JSON.parse(JSON.stringify({ ...job, evidence: oldEvidence })));
    expect(old?.evidence).toEqual({ ...oldEvidence, targets: [], macs: [], vlans: [] });
  });

  it('refuses what is not a version 1 job', () => {
    for (const x of [null, 7, 'job', { version: 2 }, { version: 1, jobId: 'x' }]) expect(readEmailJob(x)).toBeNull();
  });
});
