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
    const at = jobs.findIndex((j) => j.length > 0);
    expect(changes[0].kind).toBe('opened');
    expect(changes[at].kind).toBe('updated');
    expect(jobs.flat()).toHaveLength(1);
    const job = jobs[at][0];
    expect(job.evidence.samples.length).toBeGreaterThan(changes[0].incident.samples.length);
    expect(job.jobId).toMatch(/^alias-netmask:198\.51\.100\.7:/);
    expect(c.flush()).toEqual([]);
  });

  it('an incident still open when the daemon stops: its job comes from flush(); noise never has one', () => {
    const c = new EmailJobCollector(60, 100);
    expect(c.accept({ kind: 'opened', incident: incidents[0] })).toEqual([]);
    expect(c.flush().map((j) => j.incidentId)).toEqual([incidents[0].id]);
    const noise: Incident = { ...incidents[0], caseId: 'noise', verdict: { ...incidents[0].verdict, caseId: 'noise', emailable: false } };
    expect(c.accept({ kind: 'opened', incident: noise })).toEqual([]);
    expect(c.accept({ kind: 'resolved', incident: noise })).toEqual([]);
    expect(c.flush()).toEqual([]);
  });

  it('past maxWaiting, the job is built at once', () => {
    const c = new EmailJobCollector(60, 0);
    expect(c.accept({ kind: 'opened', incident: incidents[0] }).map((j) => j.incidentId)).toEqual([incidents[0].id]);
  });
});

describe('EmailJobCollector: one email per block (or server), on packet time', () => {
  const S = 1e6;
  const W = 300 * S;
  let base: Incident;

  beforeAll(async () => {
    const run = await replayFile(new FileSource('fixtures/captures/case1-alias-netmask.pcap'), defaultConfig(), loadInventory('fixtures/inventory.yaml'), []);
    base = run.detection!.incidents!.find((i) => i.caseId === 'alias-netmask')!;
  });

  /** Another incident of the same customer, case and server: `ipDelta` from the base IP, opened `at` µs after it. */
  const other = (ipDelta: number, at: number, over: Partial<Incident> = {}): Incident =>
    ({ ...base, id: `${base.id}-${ipDelta}-${at}`, ip: base.ip + ipDelta, openedAt: base.openedAt + at, lastSeen: base.openedAt + at, ...over });
  const updated = (inc: Incident, at: number): IncidentChange => ({ kind: 'updated', incident: { ...inc, lastSeen: base.openedAt + at } });

  it('a second incident of the server a minute later: one job once the window has passed, listing both IPs, with the first one\'s job id', () => {
    const c = new EmailJobCollector(60, 100, W);
    const a = other(0, 0);
    const b = other(1, 60 * S);
    expect(c.accept({ kind: 'opened', incident: a })).toEqual([]);
    expect(c.accept({ kind: 'opened', incident: b })).toEqual([]);
    expect(c.accept(updated(a, 60 * S))).toEqual([]);
    expect(c.accept(updated(b, 120 * S))).toEqual([]);
    // one µs before the window ends: still open to more incidents
    expect(c.accept(updated(a, W - 1))).toEqual([]);
    const jobs = c.accept(updated(b, W));
    expect(jobs).toHaveLength(1);
    expect(jobs[0].incidentId).toBe(a.id);
    expect(jobs[0].jobId).toMatch(/^alias-netmask:198\.51\.100\.7:/);
    expect(jobs[0].group?.map((g) => [g.incidentId, g.ip])).toEqual([[b.id, '198.51.100.8']]);
    expect(jobs[0].group?.[0].evidence.openedAt).not.toBe(jobs[0].evidence.openedAt);
    expect(c.flush()).toEqual([]);
  });

  it('window edges: an incident opening exactly at the first one\'s opening plus the window starts its own group; just before, it joins', () => {
    for (const [at, groups] of [[W, 2], [W - 1, 1]] as const) {
      const c = new EmailJobCollector(60, 100, W);
      const a = other(0, 0);
      const b = other(1, at);
      c.accept({ kind: 'opened', incident: a });
      c.accept(updated(a, 60 * S));
      const first = c.accept({ kind: 'opened', incident: b });
      const rest = [...c.accept(updated(b, at + 60 * S)), ...c.accept(updated(b, at + W)), ...c.flush()];
      const all = [...first, ...rest];
      expect(all, `b at ${at}`).toHaveLength(groups);
      expect(all.flatMap((j) => [j.ip, ...(j.group ?? []).map((g) => g.ip)]).sort(), `b at ${at}`).toEqual(['198.51.100.7', '198.51.100.8']);
      // 2 groups: a's job came as soon as b's opening moved packet time past a's window
      if (groups === 2) expect(first.map((j) => j.ip)).toEqual(['198.51.100.7']);
    }
  });

  it('another case or another customer never shares an email; a member whose evidence is not in yet holds the group until it is', () => {
    const c = new EmailJobCollector(60, 100, W);
    const a = other(0, 0);
    const b = other(1, 10 * S, { caseId: 'split-block', verdict: { ...base.verdict, caseId: 'split-block' } });
    const d = other(2, 20 * S, { verdict: { ...base.verdict, customer: { ...base.verdict.customer!, id: 'c-other' } } });
    const e = other(3, 30 * S);
    for (const inc of [a, b, d, e]) c.accept({ kind: 'opened', incident: inc });
    for (const inc of [a, b, d]) c.accept(updated(inc, 60 * S));
    // past every window: b and d go alone; a waits for e's evidence
    expect(c.accept(updated(a, W + 40 * S)).map((j) => j.ip).sort()).toEqual(['198.51.100.8', '198.51.100.9']);
    const ae = c.accept({ kind: 'resolved', incident: { ...e, resolvedAt: base.openedAt + W + 41 * S } });
    expect(ae.map((j) => [j.ip, ...(j.group ?? []).map((g) => g.ip)])).toEqual([['198.51.100.7', '198.51.100.10']]);
  });

  it('with no window (0), every incident is its own email, as soon as its evidence is in', () => {
    const c = new EmailJobCollector(60, 100, 0);
    const a = other(0, 0);
    const b = other(1, S);
    c.accept({ kind: 'opened', incident: a });
    c.accept({ kind: 'opened', incident: b });
    expect(c.accept(updated(a, 60 * S)).map((j) => j.ip)).toEqual(['198.51.100.7']);
    expect(c.accept(updated(b, 61 * S)).map((j) => j.ip)).toEqual(['198.51.100.8']);
  });

  it('flush() builds the groups still waiting, grouped', () => {
    const c = new EmailJobCollector(60, 100, W);
    c.accept({ kind: 'opened', incident: other(0, 0) });
    c.accept({ kind: 'opened', incident: other(1, S) });
    const jobs = c.flush();
    expect(jobs.map((j) => [j.ip, ...(j.group ?? []).map((g) => g.ip)])).toEqual([['198.51.100.7', '198.51.100.8']]);
  });

  it('rejoin (a restart): the waiting incidents, in any order, group again as they were, and go when due; one already waiting is not taken twice', () => {
    const before = new EmailJobCollector(60, 100, W);
    const a = other(0, 0);
    const b = other(1, 60 * S);
    before.accept({ kind: 'opened', incident: a });
    before.accept({ kind: 'opened', incident: b });
    before.accept(updated(a, 60 * S));
    expect(before.waitingIncidents()).toEqual([[a.id, true], [b.id, false]]);

    const after = new EmailJobCollector(60, 100, W);
    expect(after.rejoin([{ inc: b, ready: false }, { inc: a, ready: true }])).toEqual([]);
    expect(after.rejoin([{ inc: a, ready: true }])).toEqual([]);
    expect(after.waitingIncidents()).toEqual([[a.id, true], [b.id, false]]);
    const jobs = after.accept(updated(b, W));
    expect(jobs.map((j) => [j.jobId, j.ip, ...(j.group ?? []).map((g) => g.ip)])).toEqual([[jobs[0].jobId, '198.51.100.7', '198.51.100.8']]);
    expect(jobs[0].jobId).toBe(before.flush()[0].jobId);
    // ready and past its window already: due at once
    expect(new EmailJobCollector(60, 100, W).rejoin([{ inc: { ...a, lastSeen: a.openedAt + W }, ready: true }]).map((j) => j.ip)).toEqual(['198.51.100.7']);
  });
});
