import { beforeAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../capture/file-source.js';
import { defaultConfig } from '../../config/schema.js';
import type { Incident, IncidentChange } from '../../incidents/incident.js';
import { loadInventory } from '../../inventory/load.js';
import { replayFile } from '../../pipeline/replay.js';
import { EmailJobCollector } from './email-job-collector.js';

describe('EmailJobCollector: when an incident becomes an email job', () => {
  const changes: IncidentChange[] = [];
  let incidents: Incident[];

  beforeAll(async () => {
    const sink = { name: 'record', accept: (c: IncidentChange) => { changes.push({ kind: c.kind, incident: { ...c.incident, counts: { ...c.incident.counts }, samples: [...c.incident.samples], evidence: structuredClone(c.incident.evidence) } }); }, close: async () => {} };
    const run = await replayFile(new FileSource('fixtures/captures/case1-alias-netmask.pcap'), defaultConfig(), loadInventory('fixtures/inventory.yaml'), [sink]);
    incidents = run.detection!.incidents!;
  });

  it('not at the opening (one frame of evidence) but at the first update, with a minute of evidence', () => {
    const c = new EmailJobCollector(60, 100);
    const jobs = changes.map((ch) => c.accept(ch));
    const at = jobs.findIndex((j) => j !== null);
    expect(changes[0].kind).toBe('opened');
    expect(changes[at].kind).toBe('updated');
    expect(jobs.filter((j) => j !== null)).toHaveLength(1);
    const job = jobs[at]!;
    expect(job.evidence.samples.length).toBeGreaterThan(changes[0].incident.samples.length);
    expect(job.jobId).toMatch(/^alias-netmask:198\.51\.100\.7:/);
    expect(c.flush()).toEqual([]);
  });

  it('an incident still open when the daemon stops: its job comes from flush(); noise never has one', () => {
    const c = new EmailJobCollector(60, 100);
    expect(c.accept({ kind: 'opened', incident: incidents[0] })).toBeNull();
    expect(c.flush().map((j) => j.incidentId)).toEqual([incidents[0].id]);
    const noise: Incident = { ...incidents[0], caseId: 'noise', verdict: { ...incidents[0].verdict, caseId: 'noise', emailable: false } };
    expect(c.accept({ kind: 'opened', incident: noise })).toBeNull();
    expect(c.accept({ kind: 'resolved', incident: noise })).toBeNull();
    expect(c.flush()).toEqual([]);
  });

  it('past maxWaiting, the job is built at once', () => {
    const c = new EmailJobCollector(60, 0);
    expect(c.accept({ kind: 'opened', incident: incidents[0] })?.incidentId).toBe(incidents[0].id);
  });
});
