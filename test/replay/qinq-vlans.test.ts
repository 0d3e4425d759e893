/**
 * QinQ VLANs are keyed by their outer and inner tag together: the same inner id under two outer tags is two
 * networks, counted, labelled and flooded apart, as tcpdump's `vlan A, … vlan B` lines tell them apart.
 * Fixtures: arp-qinq.pcap (inner 100 under outer 1000 and 2001), and case1-alias-netmask.pcap and
 * flood-spoofed-senders.pcap (VLAN 100) given an S-tag outside.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INVENTORY } from '../../fixtures/expected-incidents.js';
import { writeCapture, type PcapRecord } from '../../fixtures/lib/pcap-writer.js';
import { FileSource } from '../../src/capture/file-source.js';
import { summaryJson } from '../../src/cli/summary-output.js';
import { defaultConfig } from '../../src/config/schema.js';
import { emailJobFor } from '../../src/email/job-for-incident.js';
import { incidentJson } from '../../src/incidents/incident-json.js';
import { incidentWhere } from '../../src/incidents/incident-where.js';
import { loadInventory } from '../../src/inventory/load.js';
import { replayFile } from '../../src/pipeline/replay.js';
import { sampleValue, Telemetry } from '../../src/telemetry/telemetry.js';
import { insertInnerTag } from '../helpers/tcpdump.js';

const CAPTURES = join(import.meta.dirname, '../../fixtures/captures');

/** tcpdump's ARP lines per "outer.inner" pair of a QinQ capture */
function tcpdumpPairs(file: string): Map<string, number> {
  const out = new Map<string, number>();
  const text = execFileSync('tcpdump', ['-nn', '-e', '-r', file, 'vlan and vlan and arp'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  for (const m of text.matchAll(/: vlan (\d+), p \d, ethertype 802\.1Q \(0x8100\), vlan (\d+),/g)) out.set(`${m[1]}.${m[2]}`, (out.get(`${m[1]}.${m[2]}`) ?? 0) + 1);
  return out;
}

/** `source` with an 802.1ad S-tag put outside each frame's tag, its id chosen per frame */
async function withOuterTag(dir: string, source: string, outer: (frame: Uint8Array) => number): Promise<string> {
  const records: PcapRecord[] = [];
  await new FileSource(source).run((frame, offset, capLen, wireLen, tsMicros) => {
    const f = new Uint8Array(frame.subarray(offset, offset + capLen));
    const g = insertInnerTag(f, 0, 0x88a8, outer(f));
    records.push({ tsMicros, frame: g, wireLen: wireLen - capLen + g.length });
  });
  const file = join(dir, `qinq-${records.length}-${Math.random().toString(36).slice(2)}.pcap`);
  await writeCapture(file, 'pcap', records, { linktype: 1 });
  return file;
}

describe('QinQ VLANs: outer and inner tag together', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arpwarden-qinq-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('arp-qinq.pcap: each outer.inner pair is counted apart, as many frames as tcpdump shows for it, in the summary and the metrics', async () => {
    const file = join(CAPTURES, 'arp-qinq.pcap');
    const t = new Telemetry();
    const run = await replayFile(new FileSource(file), defaultConfig(), null, [], t);
    const theirs = tcpdumpPairs(file);
    expect([...theirs.keys()].sort()).toEqual(['1000.100', '1001.200', '2000.300', '2001.100']);
    const ours = new Map(summaryJson(run.summary).vlans.filter((v) => v.outer_vlan !== undefined).map((v) => [`${v.outer_vlan}.${v.vlan}`, v.frames]));
    expect(ours).toEqual(theirs);
    const snap = t.snapshot();
    for (const [pair, n] of theirs) expect(sampleValue(snap, 'arp_vlan_frames_total', { vlan: pair }), pair).toBe(n);
    // the single-tagged VLAN 100 is a third network, not the sum of the two pairs
    expect(sampleValue(snap, 'arp_vlan_frames_total', { vlan: '100' })).toBe(4);
  });

  it('an incident on a QinQ VLAN says both tags: JSON outer_vlan, unresolved ARP per pair; the email keeps the customer-side id', async () => {
    const file = await withOuterTag(dir, join(CAPTURES, 'case1-alias-netmask.pcap'), () => 1000);
    const t = new Telemetry();
    const inv = loadInventory(INVENTORY);
    const run = await replayFile(new FileSource(file), defaultConfig(), inv, [], t);
    const [inc] = run.detection!.book.known();
    expect(incidentJson(inc)).toMatchObject({ case: 'alias-netmask', ip: '198.51.100.7', vlan: 100, outer_vlan: 1000 });
    expect(sampleValue(t.snapshot(), 'arp_unresolved_total', { vlan: '1000.100' })).toBeGreaterThan(0);
    expect(sampleValue(t.snapshot(), 'arp_unresolved_total', { vlan: '100' })).toBeUndefined();
    const job = emailJobFor(inc, defaultConfig().detector.window_seconds);
    expect(job?.vlan).toBe(100);
  });

  it('a flood: senders of one inner VLAN under two outer tags are two floods, one per pair', async () => {
    const source = join(CAPTURES, 'flood-spoofed-senders.pcap');
    const one = await replayFile(new FileSource(source), defaultConfig(), loadInventory(INVENTORY));
    expect(one.detection!.book.known().filter((i) => i.caseId === 'flood').map(incidentWhere)).toEqual(['vlan 100 (254 senders)']);
    // the sender IP's last byte (an ARP sender at offset 18 + 14 in a tagged frame) picks the outer tag
    const file = await withOuterTag(dir, source, (f) => (f[18 + 17] % 2 === 0 ? 1000 : 2001));
    const run = await replayFile(new FileSource(file), defaultConfig(), loadInventory(INVENTORY));
    const floods = run.detection!.book.known().filter((i) => i.caseId === 'flood');
    expect(floods.map((i) => incidentWhere(i).replace(/ \(.*/, '')).sort()).toEqual(['vlan 1000.100', 'vlan 2001.100']);
    expect(floods.map((i) => i.id.replace(/-[0-9a-f]+$/, '')).sort()).toEqual(['flood-vlan1000.100', 'flood-vlan2001.100']);
  });
});
