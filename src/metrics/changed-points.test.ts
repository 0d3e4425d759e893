import { describe, expect, it } from 'vitest';
import { type MetricPoint, SENDER_MEASUREMENT } from './metric-point.js';
import { ChangedPointFilter, REFRESH_MICROS } from './changed-points.js';

const S = 10e6;

function sender(ip: string, t: number, requests: number, unresolved = 0): MetricPoint {
  return { measurement: SENDER_MEASUREMENT, tags: { ip }, value: Number.NaN, fields: { requests, replies: 0, unresolved }, timeMicros: t };
}

function other(t: number, value: number): MetricPoint {
  return { measurement: 'frames_total', tags: {}, value, timeMicros: t };
}

const brief = (ps: readonly MetricPoint[]): string[] => ps.map((p) => `${p.tags.ip ?? p.measurement}@${p.timeMicros / S}=${p.fields?.requests ?? p.value}`);

describe('ChangedPointFilter', () => {
  it('writes a sender when its counts change, with the unchanged point before the change, and passes other points', () => {
    const f = new ChangedPointFilter();
    const counts = [1, 1, 1, 1, 5, 5, 6];
    const out = counts.map((c, i) => brief(f.select([other(i * S, i), sender('a', i * S, c)])));
    expect(out).toEqual([
      ['frames_total@0=0', 'a@0=1'],
      ['frames_total@1=1'],
      ['frames_total@2=2'],
      ['frames_total@3=3'],
      ['frames_total@4=4', 'a@3=1', 'a@4=5'],
      ['frames_total@5=5'],
      ['frames_total@6=6', 'a@5=5', 'a@6=6'],
    ]);
  });

  it('writes the held-back last state when a sender leaves the snapshot, at the final snapshot, and on flush', () => {
    const f = new ChangedPointFilter();
    f.select([sender('a', 0, 1), sender('b', 0, 2), sender('c', 0, 3)]);
    expect(brief(f.select([sender('a', S, 1), sender('b', S, 2), sender('c', S, 3)]))).toEqual([]);
    // b leaves (its incident resolved): its last state at 1; c comes back later: a new run
    expect(brief(f.select([sender('a', 2 * S, 1), sender('c', 2 * S, 3)]))).toEqual(['b@1=2']);
    expect(brief(f.select([sender('a', 3 * S, 1), sender('b', 3 * S, 2)]))).toEqual(['b@3=2', 'c@2=3']);
    expect(brief(f.select([sender('a', 4 * S, 1), sender('b', 4 * S, 2)], true))).toEqual(['a@4=1', 'b@4=2']);
    expect(brief(f.flush())).toEqual([]);
    f.select([sender('a', 5 * S, 1), sender('b', 5 * S, 2)]);
    expect(brief(f.flush())).toEqual(['a@5=1', 'b@5=2']);
    expect(brief(f.flush())).toEqual([]);
  });

  it('writes an unchanged sender again once REFRESH_MICROS of packet time passed since its last point', () => {
    const f = new ChangedPointFilter();
    const step = REFRESH_MICROS / 3;
    const written: number[] = [];
    for (let i = 0; i <= 7; i++) for (const p of f.select([sender('a', i * step, 1)])) written.push(p.timeMicros / step);
    expect(written).toEqual([0, 3, 6]);
  });

  it('does the same for every series, told apart by measurement and tags, frozen label sets or not', () => {
    const f = new ChangedPointFilter();
    const vlan = Object.freeze({ vlan: '100' });
    const at = (t: number, v100: number, v200: number): MetricPoint[] => [
      { measurement: 'arp_vlan_frames_total', tags: vlan, value: v100, timeMicros: t },
      { measurement: 'arp_vlan_frames_total', tags: { vlan: '200' }, value: v200, timeMicros: t },
      { measurement: 'arp_unresolved_total', tags: vlan, value: v100, timeMicros: t },
    ];
    const names = (ps: readonly MetricPoint[]): string[] => ps.map((p) => `${p.measurement}/${p.tags.vlan}@${p.timeMicros / S}=${p.value}`);
    expect(names(f.select(at(0, 1, 7)))).toHaveLength(3);
    expect(names(f.select(at(S, 1, 7)))).toEqual([]);
    expect(names(f.select(at(2 * S, 1, 8)))).toEqual(['arp_vlan_frames_total/200@1=7', 'arp_vlan_frames_total/200@2=8']);
    expect(names(f.select(at(3 * S, 2, 8)))).toEqual([
      'arp_vlan_frames_total/100@2=1', 'arp_vlan_frames_total/100@3=2', 'arp_unresolved_total/100@2=1', 'arp_unresolved_total/100@3=2',
    ]);
  });

  it('sees a change of any field (unresolved only)', () => {
    const f = new ChangedPointFilter();
    f.select([sender('a', 0, 1, 0)]);
    expect(brief(f.select([sender('a', S, 1, 2)]))).toEqual(['a@1=1']);
  });

  it('a series under a new frozen tags object (a bounded cache made it again) is the same series, told unchanged or not', () => {
    const f = new ChangedPointFilter();
    const at = (t: number, tags: Readonly<Record<string, string>>, requests: number): MetricPoint => ({ ...sender('a', t, requests), tags });
    const first = Object.freeze({ ip: 'a' });
    const again = Object.freeze({ ip: 'a' });
    expect(brief(f.select([at(0, first, 1)]))).toEqual(['a@0=1']);
    // the same values under the new object: unchanged, held back
    expect(brief(f.select([at(S, again, 1)]))).toEqual([]);
    // told unchanged by a third object: still the series, still held back
    const third = Object.freeze({ ip: 'a' });
    expect(brief(f.select([], false, { measurements: [SENDER_MEASUREMENT], tags: [third] }, 2 * S))).toEqual([]);
    expect(brief(f.select([at(3 * S, first, 2)]))).toEqual(['a@2=1', 'a@3=2']);
  });
});
