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
