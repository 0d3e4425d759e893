import { describe, expect, it } from 'vitest';
import { arp } from '../../test/helpers/arp.js';
import { ipToString } from '../decode/addr.js';
import { DecodeResult } from '../decode/decode-result.js';
import type { Incident } from '../incidents/incident.js';
import { incidentSenderWatch, registerSenders } from '../pipeline/sender-telemetry.js';
import { TrafficSummary } from '../pipeline/traffic-summary.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { ChangedPointFilter, REFRESH_MICROS } from './changed-points.js';
import { LineEncoder } from './line-protocol.js';
import { type SameSeries, snapshotPoints } from './metric-point.js';

const S = 10e6;
const MAC = '02:00:00:00:00:01';

/** A seeded LCG in [0, 1): the same senders' story every run. */
function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

describe('snapshots of changes: the senders told unchanged give exactly the points of full snapshots', () => {
  for (const tags of [undefined, Object.freeze({ router: 'r1' })]) {
    it(`over 80 snapshots of senders opening, resolving, counting and idling${tags === undefined ? '' : ', with metrics.tags'}`, () => {
      const rnd = random(tags === undefined ? 7 : 11);
      const summary = new TrafficSummary(3);
      const t = new Telemetry();
      const open = new Map<number, Incident>();
      const unresolved = new Map<number, number>();
      registerSenders(t, () => summary, () => ({
        detector: { windowCount: (ip: number) => unresolved.get(ip) ?? 0 },
        book: { openIncidents: () => [...open.values()] },
      }));
      const watch = incidentSenderWatch(summary);
      const full = new ChangedPointFilter();
      const changes = new ChangedPointFilter();
      const consumer = {};
      const enc = new LineEncoder();
      const lines = (ps: Parameters<LineEncoder['encode']>[0]): string[] => enc.encode(ps).split('\n').filter((l) => l !== '').sort();
      const ips = Array.from({ length: 40 }, (_, i) => 0xcb007100 + i);
      let told = 0;
      let written = 0;
      // 80 snapshots 10 s apart: past REFRESH_MICROS twice, so the re-writes of quiet senders are in it
      expect(80 * S).toBeGreaterThan(2 * REFRESH_MICROS);
      for (let n = 0; n < 80; n++) {
        for (const ip of ips) {
          const r = rnd();
          if (r < 0.03 && !open.has(ip)) {
            const inc = { ip } as Incident;
            open.set(ip, inc);
            watch.accept({ kind: 'opened', incident: inc });
          } else if (r < 0.05) open.delete(ip);
          else if (r < 0.1) unresolved.set(ip, Math.floor(rnd() * 3));
          // most senders are quiet most snapshots; a few talk
          if (rnd() < 0.15) {
            const frames = 1 + Math.floor(rnd() * 4);
            for (let f = 0; f < frames; f++) summary.observe(DecodeResult.ARP, arp({ op: rnd() < 0.7 ? 'request' : 'reply', from: ipToString(ip), mac: MAC, target: '203.0.113.254', t: n * 10 }));
          }
        }
        const final = n === 79;
        const time = n * S;
        const a = full.select(snapshotPoints(t.snapshot(), time, tags), final);
        const same: SameSeries = { measurements: [], tags: [] };
        const b = changes.select(snapshotPoints(t.snapshotChanges(consumer), time, tags, same), final, same, time);
        told += same.measurements.length;
        written += b.length;
        expect(lines(b), `snapshot ${n}`).toEqual(lines(a));
      }
      // the comparison covered both paths: many senders told unchanged, and points written
      expect(told).toBeGreaterThan(500);
      expect(written).toBeGreaterThan(200);
    });
  }

  it('a second consumer starts with every sample: the first one\'s "unchanged" is not its own', () => {
    const summary = new TrafficSummary(3);
    const t = new Telemetry();
    registerSenders(t, () => summary, () => null);
    summary.observe(DecodeResult.ARP, arp({ from: '203.0.113.10', mac: MAC, target: '203.0.113.254', t: 0 }));
    const one = {};
    expect(t.snapshotChanges(one).same).toEqual([]);
    expect(t.snapshotChanges(one).same).toHaveLength(1);
    const other = t.snapshotChanges({});
    expect(other.same).toEqual([]);
    expect(other.samples.filter((s) => s.name === 'sender_arp_packets_total')).toHaveLength(2);
  });

  it('a full snapshot in between (/metrics, /api/stats) has every sender and does not disturb the changes', () => {
    const summary = new TrafficSummary(3);
    const t = new Telemetry();
    registerSenders(t, () => summary, () => null);
    summary.observe(DecodeResult.ARP, arp({ from: '203.0.113.10', mac: MAC, target: '203.0.113.254', t: 0 }));
    const me = {};
    t.snapshotChanges(me);
    expect(t.snapshot().samples.filter((s) => s.name === 'sender_arp_packets_total')).toHaveLength(2);
    expect(t.snapshotChanges(me).same?.map((k) => k.labels.ip)).toEqual(['203.0.113.10']);
    summary.observe(DecodeResult.ARP, arp({ from: '203.0.113.10', mac: MAC, target: '203.0.113.254', t: 1 }));
    const changed = t.snapshotChanges(me);
    expect(changed.same).toEqual([]);
    expect(changed.samples.filter((s) => s.name === 'sender_arp_packets_total').map((s) => s.value)).toEqual([2, 0]);
  });
});
