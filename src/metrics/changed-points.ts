import type { MetricPoint } from './metric-point.js';

/**
 * A series whose value did not change is written again after this much packet time anyway (µs), so that a quiet
 * sender with an open incident (or a counter at 0) still shows in a dashboard range of a few minutes.
 */
export const REFRESH_MICROS = 300e6;

interface Last {
  point: MetricPoint;
  written: boolean;
  /** the packet time of the series' last point written */
  writtenMicros: number;
  /** the snapshot it was last seen in */
  seen: number;
  /** where it is kept, to forget it */
  table: Map<unknown, Last>;
  key: unknown;
}

/**
 * Which points of a snapshot go to InfluxDB: a series' point only when its value (a sender's counts) changed since its
 * last snapshot, bracketed: the unchanged point before a change (or before the series leaves the snapshot: a sender out
 * of the top N, its incident resolved) is written too, late, with its own time. So every change shows between two
 * points at the snapshots either side of it, as if every snapshot had been written, and what is left out lies inside
 * runs of one value: a line at that value (a rate of 0) in every panel. A replay with detection wrote 140,751 sender
 * points and 62,564 others (a thousand VLANs' counters) in 60 snapshots, most of them repeats.
 */
export class ChangedPointFilter {
  /** by measurement, then by tags object: the label sets built once and frozen (the same object every snapshot) */
  private readonly byTags = new Map<string, Map<unknown, Last>>();
  /** by measurement and tags as text: the others */
  private readonly byText = new Map<unknown, Last>();
  /** every series of the last snapshot */
  private series: Last[] = [];
  private snapshot = 0;

  /** The points of one snapshot to write; `final`: the last snapshot, every series' last state is written. */
  select(points: readonly MetricPoint[], final = false): MetricPoint[] {
    const n = ++this.snapshot;
    const out: MetricPoint[] = [];
    const seen: Last[] = [];
    for (const p of points) {
      const frozen = Object.isFrozen(p.tags);
      const table = frozen ? this.tableOf(p.measurement) : this.byText;
      const key: unknown = frozen ? p.tags : textKey(p);
      const prev = table.get(key);
      if (prev === undefined || prev.seen !== n - 1) {
        const l: Last = { point: p, written: true, writtenMicros: p.timeMicros, seen: n, table, key };
        table.set(key, l);
        seen.push(l);
        out.push(p);
        continue;
      }
      if (prev.seen === n) continue; // twice in one snapshot: the first one stands
      seen.push(prev);
      prev.seen = n;
      const same = Object.is(prev.point.value, p.value) && sameFields(prev.point.fields, p.fields);
      if (same && !final && p.timeMicros - prev.writtenMicros < REFRESH_MICROS) {
        prev.point = p;
        prev.written = false;
        continue;
      }
      if (!same && !prev.written) out.push(prev.point);
      out.push(p);
      prev.point = p;
      prev.written = true;
      prev.writtenMicros = p.timeMicros;
    }
    // series gone from this snapshot (a sender out of the top N, its incident resolved): the last state, if held back
    for (const l of this.series) {
      if (l.seen === n) continue;
      if (!l.written) out.push(l.point);
      l.table.delete(l.key);
    }
    this.series = seen;
    return out;
  }

  /** The points held back (each series' last state, unchanged since its last point written): the end of a run. */
  flush(): MetricPoint[] {
    const out: MetricPoint[] = [];
    for (const l of this.series) {
      if (!l.written) out.push(l.point);
      l.written = true;
    }
    return out;
  }

  private tableOf(measurement: string): Map<unknown, Last> {
    let t = this.byTags.get(measurement);
    if (t === undefined) this.byTags.set(measurement, t = new Map());
    return t;
  }
}

/** A series as text, for tags built afresh each snapshot (metrics.tags on every point, a source's own objects). */
function textKey(p: MetricPoint): string {
  let key = p.measurement;
  for (const k in p.tags) key += `,${k}=${p.tags[k]}`;
  return key;
}

function sameFields(a: Readonly<Record<string, number>> | undefined, b: Readonly<Record<string, number>> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  return n === Object.keys(b).length;
}
