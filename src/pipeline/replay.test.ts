import { describe, expect, it } from 'vitest';
import { FileSource } from '../capture/file-source.js';
import type { FrameSource } from '../capture/frame-source.js';
import { ipToString } from '../decode/addr.js';
import { defaultConfig } from '../config/schema.js';
import { loadInventory } from '../inventory/load.js';
import { sampleTotal, sampleValue, Telemetry } from '../telemetry/telemetry.js';
import { DetectionPipeline } from './detection.js';
import { runPipeline } from './pipeline.js';
import { replayFile } from './replay.js';

describe('replay with telemetry (fixtures/captures/case1-alias-netmask.pcap: one alias-netmask incident on VLAN 100)', () => {
  it('counts what the summary counts, and the incident by case and change, on the capture\'s own timeline', async () => {
    const t = new Telemetry();
    const run = await replayFile(new FileSource('fixtures/captures/case1-alias-netmask.pcap'), defaultConfig(), loadInventory('fixtures/inventory.yaml'), [], t);
    const snap = t.snapshot();
    expect(sampleValue(snap, 'frames_total')).toBe(run.summary.frames);
    expect(sampleValue(snap, 'arp_packets_total', { op: 'request' })).toBe(run.summary.requests);
    expect(sampleValue(snap, 'arp_packets_total', { op: 'reply' })).toBe(run.summary.replies);
    expect(sampleValue(snap, 'arp_frames_total', { tags: '1' })).toBe(850);
    expect(sampleValue(snap, 'arp_vlan_frames_total', { vlan: '100' })).toBe(850);
    expect(sampleTotal(snap, 'frames_malformed_total')).toBe(0);
    expect(sampleValue(snap, 'incidents_total', { case: 'alias-netmask', change: 'opened' })).toBe(1);
    expect(sampleValue(snap, 'incidents_total', { case: 'alias-netmask', change: 'resolved' })).toBe(1);
    expect(sampleValue(snap, 'incidents_open', { case: 'alias-netmask' })).toBe(0);
    expect(snap.packetTimeMicros).toBe(run.summary.lastTs);
  });

  it('counts ARP per VLAN and op, unresolved requests per VLAN, and the alias\'s own requests as a top sender', async () => {
    const t = new Telemetry();
    const run = await replayFile(new FileSource('fixtures/captures/case1-alias-netmask.pcap'), defaultConfig(), loadInventory('fixtures/inventory.yaml'), [], t);
    const snap = t.snapshot();
    expect(sampleValue(snap, 'arp_vlan_packets_total', { vlan: '100', op: 'request' })).toBe(run.summary.requests);
    expect(sampleValue(snap, 'arp_vlan_packets_total', { vlan: '100', op: 'reply' })).toBe(run.summary.replies);
    // the alias's questions are never answered: each expired one is counted on its VLAN
    const unresolved = sampleValue(snap, 'arp_unresolved_total', { vlan: '100' })!;
    expect(unresolved).toBeGreaterThan(0);
    expect(unresolved).toBeLessThanOrEqual(run.summary.requests);
    expect(sampleTotal(snap, 'arp_unresolved_total')).toBe(unresolved);
    const alias = run.summary.topTalkers(1)[0];
    expect(ipToString(alias.ip)).toBe('198.51.100.7');
    expect(sampleValue(snap, 'sender_arp_packets_total', { ip: '198.51.100.7', op: 'request' })).toBe(alias.frames);
    const ips = new Set(snap.samples.filter((s) => s.name === 'sender_arp_packets_total').map((s) => s.labels.ip));
    expect(ips.size).toBeLessThanOrEqual(defaultConfig().metrics.top_senders);
  });
});

describe('a case capture compressed into a burst (fixtures/captures/case1-alias-netmask.pcap, 850 frames 1 ms apart, as tcpreplay --topspeed gives them)', () => {
  it('gives exactly one incident for the IP, with its case: the excessive-ARP noise that opened first is folded into it', async () => {
    const file = new FileSource('fixtures/captures/case1-alias-netmask.pcap');
    let i = 0;
    let t0 = -1;
    const burst: FrameSource = {
      linkType: file.linkType,
      run: (onFrame, signal) => file.run((frame, offset, capLen, wireLen, ts) => {
        if (t0 < 0) t0 = ts;
        onFrame(frame, offset, capLen, wireLen, t0 + 1000 * i++);
      }, signal),
    };
    const changes: string[] = [];
    const detection = new DetectionPipeline(loadInventory('fixtures/inventory.yaml'), defaultConfig().detector, [
      { name: 'changes', accept: (c) => { changes.push(`${c.kind} ${c.incident.caseId}`); }, close: async () => {} },
    ], { recordAll: true });
    const run = await runPipeline(burst, detection.onArp);
    detection.advanceTo(run.summary.lastTs + 400e6);
    const mine = detection.incidents!.filter((x) => ipToString(x.ip) === '198.51.100.7');
    expect(mine.map((x) => x.caseId)).toEqual(['alias-netmask']);
    const [inc] = mine;
    // the burst crossed excessive_arp before its unanswered questions timed out into the case's evidence
    expect(changes.slice(0, 3)).toEqual(['opened noise', 'opened alias-netmask', 'folded noise']);
    expect(inc.folded).toHaveLength(1);
    expect(inc.folded[0]).toMatch(/^noise-198\.51\.100\.7-/);
    expect(inc.counts.excessive_arp).toBeGreaterThanOrEqual(120);
    expect(inc.counts.off_link_target).toBeGreaterThanOrEqual(10);
    expect(inc.counts.unresolved_arp).toBeGreaterThan(0);
    expect(inc.resolvedAt).not.toBeNull();
  });
});

describe('replay of captures joined with mergecap -a (fixtures/captures/arp-merged-backwards.pcap)', () => {
  it('counts the frames older than a frame before them, and packet time stays at the latest frame', async () => {
    const t = new Telemetry();
    const run = await replayFile(new FileSource('fixtures/captures/arp-merged-backwards.pcap'), null, null, [], t);
    // the second capture's 48 frames all lie before the first one's last frame (09:00:37.705913)
    expect(run.summary.framesOutOfOrder).toBe(48);
    expect(run.summary.maxStepBackMicros).toBe(Date.UTC(2026, 10, 2, 9, 0, 37) * 1000 + 705_913 - (Date.UTC(2026, 10, 2, 9, 0, 0) * 1000 + 835_856));
    expect(run.summary.lastTs).toBe(Date.UTC(2026, 10, 2, 9, 0, 37) * 1000 + 705_913);
    expect(run.summary.firstTs).toBe(Date.UTC(2026, 10, 2, 9, 0, 0) * 1000 + 835_856);
    const snap = t.snapshot();
    expect(sampleValue(snap, 'frames_out_of_order_total')).toBe(48);
    expect(snap.packetTimeMicros).toBe(run.summary.lastTs);
  });

  it('a capture in order has none', async () => {
    const run = await replayFile(new FileSource('fixtures/captures/arp-untagged.pcap'), null, null);
    expect(run.summary.framesOutOfOrder).toBe(0);
    expect(run.summary.maxStepBackMicros).toBe(0);
  });
});
