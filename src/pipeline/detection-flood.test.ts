import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { arp, type PacketSpec, T0, TEST_INVENTORY } from '../../test/helpers/arp.js';
import { incidentsText } from '../cli/incidents-output.js';
import { defaultConfig } from '../config/schema.js';
import { emailJobFor } from '../email/job-for-incident.js';
import { incidentJson } from '../incidents/incident-json.js';
import { parseInventory } from '../inventory/load.js';
import { StreamSink } from '../sinks/stream-sink.js';
import { DetectionPipeline } from './detection.js';

const inv = parseInventory('test.yaml', TEST_INVENTORY);
const SERVER_A = '0c:c4:7a:00:00:0a';
const GW = '203.0.113.254';
const SENDERS = 1000;

/** A spoofed flood in VLAN 100: each of 1,000 senders of 10.1.0.0/16, from a new MAC every frame, asks 12 times for a routed failover IP. */
function flood(): PacketSpec[] {
  const out: PacketSpec[] = [];
  for (let k = 0; k < 12; k++) {
    for (let i = 0; i < SENDERS; i++) {
      const n = k * SENDERS + i;
      const mac = `02:5f:${((n >> 16) & 0xff).toString(16).padStart(2, '0')}:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}:01`;
      out.push({ t: k * 4 + i * 0.004, from: `10.1.${i >> 8}.${i & 0xff}`, mac, target: '198.51.100.9', vlan: 100 });
    }
  }
  return out;
}

/** Inside it, two customers' own mistakes: a /24 alias (case 1) and a VM bridged without virtual MAC (case 3). */
function customers(): PacketSpec[] {
  const out: PacketSpec[] = [];
  for (let i = 0; i < 30; i++) {
    out.push({ t: 10 + i, from: '198.51.100.7', mac: SERVER_A, target: `198.51.100.${20 + (i % 3)}`, vlan: 100 });
    out.push({ t: 10.5 + i, from: '198.51.100.9', mac: '52:54:00:ab:cd:ef', target: GW, vlan: 100 });
  }
  return out;
}

describe('a flood of 1,000 spoofed senders in one VLAN (generated from arp() frames)', () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => (text += b.toString()));
  const d = new DetectionPipeline(inv, defaultConfig().detector, [new StreamSink(out, 'text')], { recordAll: true });
  for (const s of [...flood(), ...customers()].sort((a, b) => a.t - b.t)) d.onArp(arp(s));
  const openAtEnd = d.book.sizes.open;
  d.advanceTo(T0 + 1000e6);
  const incidents = d.incidents!;
  const json = incidents.map(incidentJson);

  it('is one flood incident of the VLAN, and the customers\' own cases inside it are still found', () => {
    expect(json.map((i) => `${i.case} ${i.ip}`).sort()).toEqual(['alias-netmask 198.51.100.7', 'flood null', 'vm-nat-gateway 198.51.100.9']);
    const f = json.find((i) => i.case === 'flood')!;
    expect(f).toMatchObject({ ip: null, vlan: 100, customer: null, server: null });
    expect(f.flood).toMatchObject({ senders: SENDERS, senders_at_least: false });
    expect(f.flood!.top).toHaveLength(10);
    expect(f.flood!.events_per_second).toBeGreaterThan(0);
    // the first noise incidents of the VLAN, folded when they reached detector.flood_senders
    expect(f.folded).toHaveLength(defaultConfig().detector.flood_senders);
    expect(json.find((i) => i.case === 'alias-netmask')!.customer).toBe('c-1');
    expect(json.find((i) => i.case === 'vm-nat-gateway')!.customer).toBe('c-2');
  });

  it('holds a bounded number of incidents however many senders (the flood and the two cases, at most)', () => {
    expect(openAtEnd).toBeLessThanOrEqual(3);
  });

  it('never mails anybody for the flood; the customers\' cases are mailed', () => {
    const byCase = new Map(incidents.map((i) => [i.caseId, i]));
    expect(emailJobFor(byCase.get('flood')!, 60)).toBeNull();
    expect(emailJobFor(byCase.get('alias-netmask')!, 60)).not.toBeNull();
    expect(emailJobFor(byCase.get('vm-nat-gateway')!, 60)).not.toBeNull();
  });

  it('prints as its VLAN and number of senders in text', () => {
    expect(incidentsText(incidents)).toMatch(/flood\s+vlan 100 \(1000 senders\)/);
    expect(text).toMatch(/incident opened flood vlan 100 \(20 senders\) .*id=flood-vlan100-/);
    expect(text).toMatch(/incident resolved flood vlan 100 \(1000 senders\) /);
    expect(text.match(/incident folded noise /g)).toHaveLength(20);
  });
});
