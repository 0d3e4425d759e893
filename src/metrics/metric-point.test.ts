import { describe, expect, it } from 'vitest';
import { Telemetry } from '../telemetry/telemetry.js';
import { snapshotPoints } from './metric-point.js';

describe('snapshotPoints', () => {
  it('one point per sample, its labels as tags and the extra tags under them; a sender\'s three samples are one point of three fields', () => {
    const t = new Telemetry();
    t.describe('sender_arp_packets_total', 'counter', 'by ip and op');
    t.describe('sender_unresolved', 'gauge', 'by ip');
    t.add(t.counter('frames_total', 'frames'), 7);
    t.source('senders', (out) => {
      for (const [ip, n] of [['192.0.2.1', 5], ['192.0.2.2', 9]] as const) {
        out.counter('sender_arp_packets_total', n, { ip, op: 'request' });
        out.counter('sender_arp_packets_total', n + 1, { ip, op: 'reply' });
        out.gauge('sender_unresolved', n - 1, { ip });
      }
      out.gauge('sender_unresolved', Number.NaN, { ip: '192.0.2.3' });
    });
    const points = snapshotPoints(t.snapshot(), 1e15 + 0.4, { router: 'r1', ip: 'never this' });
    expect(points).toEqual([
      { measurement: 'frames_total', tags: { router: 'r1', ip: 'never this' }, value: 7, timeMicros: 1e15 },
      { measurement: 'sender_arp', tags: { router: 'r1', ip: '192.0.2.1' }, value: Number.NaN, fields: { requests: 5, replies: 6, unresolved: 4 }, timeMicros: 1e15 },
      { measurement: 'sender_arp', tags: { router: 'r1', ip: '192.0.2.2' }, value: Number.NaN, fields: { requests: 9, replies: 10, unresolved: 8 }, timeMicros: 1e15 },
    ]);
  });

  it('a VLAN\'s frames and its counts by op are one point of fields, whatever order its samples come in, with one tags object', () => {
    const t = new Telemetry();
    t.describe('arp_vlan_frames_total', 'counter', 'by vlan');
    t.describe('arp_vlan_packets_total', 'counter', 'by vlan and op');
    let frames = 10;
    t.source('traffic', (out) => {
      out.counter('arp_vlan_frames_total', frames, { vlan: '100' });
      out.counter('arp_vlan_frames_total', 3, { vlan: 'none' });
      for (const [op, n] of [['request', 6], ['reply', 2], ['gratuitous', 1], ['probe', 0]] as const) out.counter('arp_vlan_packets_total', n, { vlan: '100', op });
    });
    const points = snapshotPoints(t.snapshot(), 1e15);
    expect(points).toEqual([
      { measurement: 'vlan_arp', tags: { vlan: '100' }, value: Number.NaN, fields: { frames: 10, requests: 6, replies: 2, gratuitous: 1, probes: 0 }, timeMicros: 1e15 },
      { measurement: 'vlan_arp', tags: { vlan: 'none' }, value: Number.NaN, fields: { frames: 3 }, timeMicros: 1e15 },
    ]);
    // the same frozen tags every snapshot: the writer's caches (series text, changed points) key on it
    frames = 11;
    const next = snapshotPoints(t.snapshot(), 2e15);
    expect(next[0].tags).toBe(points[0].tags);
    expect(Object.isFrozen(next[0].tags)).toBe(true);
    expect(next[0].fields).toEqual({ frames: 11, requests: 6, replies: 2, gratuitous: 1, probes: 0 });
  });

  it('a snapshot of more senders than its tags cache holds: still one point of three fields per sender, that snapshot and the next', () => {
    const t = new Telemetry();
    t.describe('sender_arp_packets_total', 'counter', 'by ip and op');
    t.describe('sender_unresolved', 'gauge', 'by ip');
    // frozen label sets, as the sources build them: 3 × 14,000 of them pass the cache's bound of 40,000 within one snapshot
    const labels = Array.from({ length: 14_000 }, (_, i) => {
      const ip = `100.64.${i >> 8}.${i & 255}`;
      return [Object.freeze({ ip, op: 'request' }), Object.freeze({ ip, op: 'reply' }), Object.freeze({ ip })] as const;
    });
    t.source('senders', (out) => {
      for (const [req, rep, un] of labels) {
        out.counter('sender_arp_packets_total', 1, req);
        out.counter('sender_arp_packets_total', 2, rep);
        out.gauge('sender_unresolved', 3, un);
      }
    });
    for (const at of [1e15, 2e15]) {
      const points = snapshotPoints(t.snapshot(), at);
      expect(points.length).toBe(14_000);
      expect(points.filter((p) => p.fields?.requests === 1 && p.fields.replies === 2 && p.fields.unresolved === 3).length).toBe(14_000);
    }
  });
});
