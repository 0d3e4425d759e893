import type { MetricPoint, SameSeries } from './metric-point.js';

/**
 * A series whose value did not change is written again after this much packet time anyway (µs), so that a quiet
 * sender with an open incident (or a counter at 0) still shows in a dashboard range of a few minutes.
 */
export const REFRESH_MICROS = 300e6;

interface Last {
  /** the series' values (its time: that of the snapshot they were taken in, or written at) */
  point: MetricPoint;
  /** the last snapshot's time, at which `point`'s values still held */
  lastMicros: number;
  written: boolean;
  /** the packet time of the series' last point written */
  writtenMicros: number;
  /** the snapshot it was last seen in */
  seen: number;
  /** the series as text (its key in byText) */
  text: string;
  /** its frozen tags object, when it has one (its key in byTags' table of its measurement) */
  tags: object | null;
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
  /**
   * by measurement, then by tags object: the label sets built once and frozen (the same object every snapshot), found
   * without making their text
   */
  private readonly byTags = new Map<string, Map<object, Last>>();
  /**
   * every series by measurement and tags as text: the others, and a frozen set's series when its object is new (a
   * bounded cache made it again: the same series, which a source may tell unchanged)
   */
  private readonly byText = new Map<string, Last>();
  /** every series of the last snapshot, and the array the next one's are gathered in (the two swapped each snapshot) */
  private series: Last[] = [];
  private spare: Last[] = [];
  private snapshot = 0;
  /** the table of the measurement looked up last: a snapshot's points come in runs of one measurement */
  private lastMeasurement = '';
  private lastTable: Map<object, Last> | null = null;

  /**
   * The points of one snapshot to write; `final`: the last snapshot, every series' last state is written. `same`: the
   * series its source told unchanged since the snapshot before (a snapshot of changes, at `timeMicros`), without a
   * point: each must have been in that snapshot, and is handled as a point of its last values would be.
   */
  select(points: readonly MetricPoint[], final = false, same?: SameSeries, timeMicros = points[0]?.timeMicros ?? 0): MetricPoint[] {
    const n = ++this.snapshot;
    const out: MetricPoint[] = [];
    const seen = this.spare;
    seen.length = 0;
    for (const p of points) {
      const prev = this.find(p.measurement, p.tags);
      if (prev === undefined || prev.seen !== n - 1) {
        const l = this.start(p, n);
        seen.push(l);
        out.push(p);
        continue;
      }
      if (prev.seen === n) continue; // twice in one snapshot: the first one stands
      seen.push(prev);
      prev.seen = n;
      const unchanged = Object.is(prev.point.value, p.value) && sameFields(prev.point.fields, p.fields);
      if (unchanged && !final && p.timeMicros - prev.writtenMicros < REFRESH_MICROS) {
        prev.point = p;
        prev.lastMicros = p.timeMicros;
        prev.written = false;
        continue;
      }
      if (!unchanged && !prev.written) out.push(heldBack(prev));
      out.push(p);
      prev.point = p;
      prev.lastMicros = p.timeMicros;
      prev.written = true;
      prev.writtenMicros = p.timeMicros;
    }
    if (same !== undefined) this.unchanged(same, n, Math.round(timeMicros), final, seen, out);
    // series gone from this snapshot (a sender out of the top N, its incident resolved): the last state, if held back
    for (const l of this.series) {
      if (l.seen === n) continue;
      if (!l.written) out.push(heldBack(l));
      this.forget(l);
    }
    this.spare = this.series;
    this.series = seen;
    return out;
  }

  /** The points held back (each series' last state, unchanged since its last point written): the end of a run. */
  flush(): MetricPoint[] {
    const out: MetricPoint[] = [];
    for (const l of this.series) {
      if (!l.written) out.push(heldBack(l));
      l.written = true;
    }
    return out;
  }

  /** The series told unchanged: held back, unless due again (REFRESH_MICROS) or the last snapshot. */
  private unchanged(same: SameSeries, n: number, t: number, final: boolean, seen: Last[], out: MetricPoint[]): void {
    const { measurements, tags } = same;
    for (let i = 0; i < measurements.length; i++) {
      const prev = this.find(measurements[i], tags[i]);
      if (prev !== undefined && prev.seen === n) continue;
      // a source's bug, not the network's: its values are not known here
      if (prev === undefined || prev.seen !== n - 1) throw new Error(`metrics: ${measurements[i]} series told unchanged, but it was not in the snapshot before`);
      seen.push(prev);
      prev.seen = n;
      prev.lastMicros = t;
      if (!final && t - prev.writtenMicros < REFRESH_MICROS) {
        prev.written = false;
        continue;
      }
      const p = heldBack(prev);
      out.push(p);
      prev.point = p;
      prev.written = true;
      prev.writtenMicros = t;
    }
  }

  /** The series of a point, by its frozen tags object, else (or when that object is new) by its text. */
  private find(measurement: string, tags: Readonly<Record<string, string>>): Last | undefined {
    const frozen = Object.isFrozen(tags);
    const table = frozen ? this.tableOf(measurement) : null;
    const known = table?.get(tags);
    if (known !== undefined) return known;
    const l = this.byText.get(textKey(measurement, tags));
    if (l !== undefined && table !== null) {
      // the same series under a new tags object: found by it from now on
      if (l.tags !== null) table.delete(l.tags);
      l.tags = tags;
      table.set(tags, l);
    }
    return l;
  }

  /** A new run of a series (new, or back after a snapshot without it), in place of any earlier one. */
  private start(p: MetricPoint, n: number): Last {
    const text = textKey(p.measurement, p.tags);
    const old = this.byText.get(text);
    if (old !== undefined) this.forget(old);
    const tags = Object.isFrozen(p.tags) ? p.tags : null;
    const l: Last = { point: p, lastMicros: p.timeMicros, written: true, writtenMicros: p.timeMicros, seen: n, text, tags };
    this.byText.set(text, l);
    if (tags !== null) this.tableOf(p.measurement).set(tags, l);
    return l;
  }

  private forget(l: Last): void {
    if (this.byText.get(l.text) === l) this.byText.delete(l.text);
    if (l.tags !== null) {
      const table = this.tableOf(l.point.measurement);
      if (table.get(l.tags) === l) table.delete(l.tags);
    }
  }

  private tableOf(measurement: string): Map<object, Last> {
    if (measurement === this.lastMeasurement && this.lastTable !== null) return this.lastTable;
    let t = this.byTags.get(measurement);
    if (t === undefined) this.byTags.set(measurement, t = new Map());
    this.lastMeasurement = measurement;
    this.lastTable = t;
    return t;
  }
}

/** A series as text, for tags built afresh each snapshot (metrics.tags on every point, a source's own objects). */
function textKey(measurement: string, tags: Readonly<Record<string, string>>): string {
  let key = measurement;
  for (const k in tags) key += `,${k}=${tags[k]}`;
  return key;
}

/** The series' last values at the last time they held (made only when written: most are never). */
function heldBack(l: Last): MetricPoint {
  return l.point.timeMicros === l.lastMicros ? l.point : { ...l.point, timeMicros: l.lastMicros };
}

function sameFields(a: Readonly<Record<string, number>> | undefined, b: Readonly<Record<string, number>> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  return n === fieldCount(b);
}

/** How many fields a point has (counted, not listed: this runs for every point of every snapshot). */
function fieldCount(fields: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const k in fields) if (Object.hasOwn(fields, k)) n++;
  return n;
}
