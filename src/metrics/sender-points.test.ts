import { describe, expect, it } from 'vitest';
import { type MetricPoint, SENDER_MEASUREMENT } from './metric-point.js';
import { SENDER_REFRESH_MICROS, SenderPointFilter } from './sender-points.js';

const S = 10e6;

function sender(ip: string, t: number, requests: number, unresolved = 0): MetricPoint {
  return { measurement: SENDER_MEASUREMENT, tags: { ip }, value: Number.NaN, fields: { requests, replies: 0, unresolved }, timeMicros: t };
}

function other(t: number, value: number): MetricPoint {
  return { measurement: 'frames_total', tags: {}, value, timeMicros: t };
}

const brief = (ps: readonly MetricPoint[]): string[] => ps.map((p) => `${p.tags.ip ?? p.measurement}@${p.timeMicros / S}=${p.fields?.requests ?? p.value}`);

describe('SenderPointFilter', () => {
  it('writes a sender when its counts change, with the unchanged point before the change, and passes other points', () => {
    const f = new SenderPointFilter();
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
    const f = new SenderPointFilter();
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

  it('writes an unchanged sender again once SENDER_REFRESH_MICROS of packet time passed since its last point', () => {
    const f = new SenderPointFilter();
    const step = SENDER_REFRESH_MICROS / 3;
    const written: number[] = [];
    for (let i = 0; i <= 7; i++) for (const p of f.select([sender('a', i * step, 1)])) written.push(p.timeMicros / step);
    expect(written).toEqual([0, 3, 6]);
  });

  it('sees a change of any field (unresolved only)', () => {
    const f = new SenderPointFilter();
    f.select([sender('a', 0, 1, 0)]);
    expect(brief(f.select([sender('a', S, 1, 2)]))).toEqual(['a@1=1']);
  });
});
