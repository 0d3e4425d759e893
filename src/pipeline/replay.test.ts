import { describe, expect, it } from 'vitest';
import { FileSource } from '../capture/file-source.js';
import { defaultConfig } from '../config/schema.js';
import { loadInventory } from '../inventory/load.js';
import { sampleTotal, sampleValue, Telemetry } from '../telemetry/telemetry.js';
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
