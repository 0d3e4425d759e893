import { describe, expect, it } from 'vitest';
import { arp, type PacketSpec } from '../../test/helpers/arp.js';
import { DecodeResult } from '../decode/decode-result.js';
import type { Incident } from '../incidents/incident.js';
import { sampleValue, Telemetry } from '../telemetry/telemetry.js';
import { incidentSenderWatch, registerSenders } from './sender-telemetry.js';
import { TrafficSummary } from './traffic-summary.js';

const MAC = '02:00:00:00:00:01';

function feed(summary: TrafficSummary, specs: PacketSpec[]): void {
  for (const s of specs) summary.observe(DecodeResult.ARP, arp(s));
}

function times(n: number, spec: Omit<PacketSpec, 't'>): PacketSpec[] {
  return Array.from({ length: n }, (_, i) => ({ ...spec, t: i }));
}

describe('per-sender series: the top N senders and every IP with an open incident, nobody else', () => {
  it('writes the top sender, the IP of an open incident from its opening, and drops that IP once its incident is gone', () => {
    const summary = new TrafficSummary(1);
    const t = new Telemetry();
    const open: Incident[] = [];
    const unresolved = new Map<number, number>([[0xcb00710b, 7]]);
    registerSenders(t, () => summary, () => ({
      detector: { windowCount: (ip: number) => unresolved.get(ip) ?? 0 },
      book: { openIncidents: () => open },
    }));
    feed(summary, times(50, { from: '203.0.113.10', mac: MAC, target: '203.0.113.254' }));
    feed(summary, times(3, { from: '203.0.113.11', mac: MAC, target: '203.0.113.254' }));
    feed(summary, times(2, { from: '203.0.113.12', mac: MAC, target: '203.0.113.254' }));
    // an incident opens on .11: from now on its frames are counted exactly
    const inc = { ip: 0xcb00710b } as Incident;
    incidentSenderWatch(summary).accept({ kind: 'opened', incident: inc });
    open.push(inc);
    feed(summary, times(4, { from: '203.0.113.11', mac: MAC, target: '203.0.113.254' }));
    feed(summary, times(2, { op: 'reply', from: '203.0.113.11', mac: MAC, target: '203.0.113.254' }));

    const snap = t.snapshot();
    const ips = new Set(snap.samples.filter((s) => s.name === 'sender_arp_packets_total').map((s) => s.labels.ip));
    expect(ips).toEqual(new Set(['203.0.113.10', '203.0.113.11']));
    expect(sampleValue(snap, 'sender_arp_packets_total', { ip: '203.0.113.10', op: 'request' })).toBe(50);
    expect(sampleValue(snap, 'sender_arp_packets_total', { ip: '203.0.113.11', op: 'request' })).toBe(4);
    expect(sampleValue(snap, 'sender_arp_packets_total', { ip: '203.0.113.11', op: 'reply' })).toBe(2);
    expect(sampleValue(snap, 'sender_unresolved', { ip: '203.0.113.11' })).toBe(7);

    open.length = 0;
    t.snapshot(); // the incident is gone: .11 is not watched any more
    expect(summary.watched.size).toBe(0);
    const after = t.snapshot();
    expect(after.samples.filter((s) => s.name === 'sender_arp_packets_total').map((s) => s.labels.ip)).toEqual(['203.0.113.10', '203.0.113.10']);
  });

  it('counts well-formed ARP per VLAN and op, untagged as index 0', () => {
    const summary = new TrafficSummary();
    feed(summary, times(3, { from: '203.0.113.10', mac: MAC, target: '203.0.113.254', vlan: 100 }));
    feed(summary, times(2, { op: 'reply', from: '203.0.113.254', mac: MAC, target: '203.0.113.10', vlan: 100 }));
    feed(summary, times(1, { from: '203.0.113.10', mac: MAC, target: '203.0.113.10' }));
    feed(summary, times(1, { from: '203.0.113.10', mac: MAC, target: '203.0.113.254', vlan: 4000 }));
    feed(summary, times(1, { from: '203.0.113.10', mac: MAC, target: '203.0.113.254', vlan: 7 }));
    // untagged first, then by VLAN id, whatever order they came in
    expect(summary.vlans().map((v) => v.vlan)).toEqual([null, 7, 100, 4000]);
    expect(summary.vlanOps().map((v) => v.vlan)).toEqual([null, 7, 100, 4000]);
    const byVlan = new Map(summary.vlanOps().map((v) => [v.vlan, Array.from(v.counts)]));
    // request, reply, gratuitous, probe
    expect(byVlan.get(100)).toEqual([3, 2, 0, 0]);
    expect(byVlan.get(null)).toEqual([1, 0, 1, 0]);
  });
});
