import { describe, expect, it } from 'vitest';
import { Telemetry } from '../telemetry/telemetry.js';
import { StatsView } from './stats-view.js';

/** A telemetry with the series the view reads, their values set by the test. */
function telemetry(): { t: Telemetry; v: Record<string, number> } {
  const t = new Telemetry();
  const v: Record<string, number> = { untagged: 0, v100: 0, req: 0, rep: 0, req100: 0, open: 0, dropped: 0, bad: 0 };
  t.describeAll([
    ['arp_vlan_frames_total', 'counter', ''], ['arp_packets_total', 'counter', ''], ['arp_vlan_packets_total', 'counter', ''],
    ['incidents_open', 'gauge', ''], ['capture_kernel_dropped_total', 'counter', ''], ['frames_malformed_total', 'counter', ''],
  ]);
  t.source('test', (out) => {
    out.counter('arp_vlan_frames_total', v.v100, { vlan: '100' });
    out.counter('arp_vlan_frames_total', v.untagged, { vlan: 'none' });
    out.counter('arp_packets_total', v.req, { op: 'request' });
    out.counter('arp_packets_total', v.rep, { op: 'reply' });
    out.counter('arp_vlan_packets_total', v.req100, { vlan: '100', op: 'request' });
    out.gauge('incidents_open', v.open, { case: 'alias-netmask' });
    out.gauge('incidents_open', 0, { case: 'vmac-missing' });
    out.counter('capture_kernel_dropped_total', v.dropped);
    out.counter('frames_malformed_total', v.bad, { reason: 'truncated_arp' });
  });
  return { t, v };
}

describe('StatsView', () => {
  it('the first snapshot is the baseline; then rates over the interval by VLAN and op, the state now', () => {
    const { t, v } = telemetry();
    const view = new StatsView(2);
    Object.assign(v, { untagged: 10, v100: 100, req: 90, rep: 20, req100: 80 });
    expect(view.next(t.snapshot(), 1_000_000, [])).toBeNull();
    Object.assign(v, { untagged: 14, v100: 150, req: 130, rep: 30, req100: 110, open: 1, dropped: 3, bad: 2 });
    const talkers = [1, 2, 3].map((i) => ({ ip: 0xc6336400 + i, mac: 0x020000000000 + i, macs: 1, frames: 10 * i }));
    const s = view.next(t.snapshot(), 1_002_000, talkers, 1_793_610_000_000_000)!;
    expect(s.interval_seconds).toBe(2);
    expect(s.time).toBe(new Date(1_002_000).toISOString());
    expect(s.arp_per_second).toEqual({ request: 20, reply: 5 });
    // untagged first; a VLAN × op series (whatever its name) gives the VLAN's ops
    expect(s.vlans).toEqual([{ vlan: 'none', per_second: 2 }, { vlan: '100', per_second: 25, ops: { request: 15 } }]);
    expect(s.top_talkers).toEqual([{ ip: '198.51.100.1', mac: '02:00:00:00:00:01', macs: 1, frames: 10 }, { ip: '198.51.100.2', mac: '02:00:00:00:00:02', macs: 1, frames: 20 }]);
    expect(s.top_talkers_since).toBe('2026-11-02T09:00:00.000000Z');
    expect(s.incidents_open).toEqual({ 'alias-netmask': 1 });
    expect(s.capture).toMatchObject({ kernel_dropped: 3, malformed: 2 });
  });

  it('no interval (the clock did not move): nothing to say', () => {
    const { t } = telemetry();
    const view = new StatsView();
    view.next(t.snapshot(), 5000, []);
    expect(view.next(t.snapshot(), 5000, [])).toBeNull();
  });
});
