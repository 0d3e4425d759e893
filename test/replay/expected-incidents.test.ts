import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedFile, providerCaptures, replayIncidents } from '../../fixtures/expected-incidents.js';
import { type CaseId, isCustomerCase } from '../../src/classify/cases.js';
import { tcpdumpLines } from '../helpers/tcpdump.js';

const CAPTURES = path.join(import.meta.dirname, '../../fixtures/captures');

interface CaseShown { case: string; ip: string }
interface ManifestEntry { file: string; shows: (string | CaseShown)[] }
const manifest = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../fixtures/manifest.json'), 'utf8')) as ManifestEntry[];

describe('replay of the provider captures (fixtures/captures, inventory fixtures/inventory.yaml)', () => {
  it.each(providerCaptures())('%s gives the committed expected incidents', async (capture) => {
    const expected: unknown = JSON.parse(fs.readFileSync(expectedFile(capture), 'utf8'));
    expect(await replayIncidents(capture)).toEqual(expected);
  });

  it.each(providerCaptures())('%s shows what its manifest says it shows, case id by case id', async (capture) => {
    const entry = manifest.find((m) => m.file === capture)!;
    const incidents = await replayIncidents(capture);
    const cases = entry.shows.filter((s): s is CaseShown => typeof s === 'object');
    if (entry.shows.includes('no-incident')) {
      expect(incidents).toEqual([]);
    } else if (entry.shows.includes('memory-cap')) {
      // spoofed senders: many MACs per IP is never one customer's configuration; many of them in one VLAN at once are one flood
      expect(incidents.every((i) => !isCustomerCase(i.case as CaseId))).toBe(true);
      expect(incidents.filter((i) => i.case === 'flood').length).toBeGreaterThan(0);
    } else {
      expect(incidents.map((i) => `${i.case} ${i.ip}`).sort()).toEqual(cases.map((c) => `${c.case} ${c.ip}`).sort());
      // each offender stops 5 minutes before the capture ends: the incident has resolved
      for (const i of incidents) expect(i.resolved_at).not.toBeNull();
    }
  });

  // a frame that raised two signals of one incident (portable-block-unusable: .65 is the block's gateway and asks for
  // the wrong one; case1a: 192.0.2.15's request counted again when it expired) is one line, as tcpdump prints it once
  it.each(providerCaptures())('%s: each incident\'s evidence lines are lines of tcpdump -r, each once', async (capture) => {
    const tcpdump = new Set(await tcpdumpLines(path.join(CAPTURES, capture)));
    for (const i of await replayIncidents(capture)) {
      expect(new Set(i.samples).size, `${i.id}: a line twice`).toBe(i.samples.length);
      for (const line of i.samples) expect(tcpdump.has(line), `${i.id}: ${line}`).toBe(true);
    }
  });

  it('the same capture replayed twice gives the same incidents, ids included', async () => {
    const a = await replayIncidents('case2-vmac-gateway.pcap');
    const b = await replayIncidents('case2-vmac-gateway.pcap');
    expect(b).toEqual(a);
    expect(a[0].id).toMatch(/^vmac-gateway-198\.51\.100\.8-[0-9a-f]{10}$/);
  });

  it('the spoofed senders of one VLAN are one flood incident, naming how many and the top ones, never a customer', async () => {
    const incidents = await replayIncidents('flood-spoofed-senders.pcap');
    expect(incidents.map((i) => i.case)).toEqual(['flood']);
    const [f] = incidents;
    expect(f).toMatchObject({ ip: null, vlan: 100, customer: null, server: null });
    expect(f.id).toMatch(/^flood-vlan100-[0-9a-f]{10}$/);
    // before this case existed the capture gave 254 noise incidents, one per spoofed IP of 198.51.100.0/24
    expect(f.flood).toMatchObject({ senders: 254, senders_at_least: false });
    expect(f.flood!.top).toHaveLength(10);
    expect(f.folded).toHaveLength(20);
    expect(f.resolved_at).not.toBeNull();
  });

  it('a duplicate names the server the IP was left on', async () => {
    const [dup] = await replayIncidents('duplicate-ip.pcap');
    expect(dup.server).toBe('srv-3101');
    expect(dup.stale_server).toBe('srv-3100');
  });
});
