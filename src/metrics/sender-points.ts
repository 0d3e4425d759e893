import { type MetricPoint, SENDER_MEASUREMENT } from './metric-point.js';

/**
 * A sender whose counts did not change is written again after this much packet time anyway (µs), so that a quiet
 * sender with an open incident still shows in a dashboard range of a few minutes.
 */
export const SENDER_REFRESH_MICROS = 300e6;

interface Last {
  point: MetricPoint;
  written: boolean;
  /** the packet time of the sender's last point written */
  writtenMicros: number;
  /** the snapshot it was last seen in */
  seen: number;
}

/**
 * Which sender points of a snapshot go to InfluxDB: a sender's point only when its counts changed since its last
 * snapshot, bracketed: the unchanged point before a change (or before the sender leaves the top N or its incident
 * resolves) is written too, late, with its own time. So every change shows between two points at the snapshots either
 * side of it, as if every snapshot had been written, and what is left out lies inside runs of one value: a line at that
 * value (a rate of 0) in every panel. With 6,506 offenders open in a replay, nearly all points were such repeats.
 * Other points pass as they are.
 */
export class SenderPointFilter {
  private readonly last = new Map<string, Last>();
  private snapshot = 0;

  /** The points of one snapshot to write; `final`: the last snapshot, every sender's last state is written. */
  select(points: readonly MetricPoint[], final = false): MetricPoint[] {
    const n = ++this.snapshot;
    const out: MetricPoint[] = [];
    for (const p of points) {
      if (p.measurement !== SENDER_MEASUREMENT) {
        out.push(p);
        continue;
      }
      const ip = p.tags.ip;
      const prev = this.last.get(ip);
      if (prev === undefined || prev.seen !== n - 1) {
        this.last.set(ip, { point: p, written: true, writtenMicros: p.timeMicros, seen: n });
        out.push(p);
        continue;
      }
      const same = sameFields(prev.point.fields, p.fields);
      if (same && !final && p.timeMicros - prev.writtenMicros < SENDER_REFRESH_MICROS) {
        prev.point = p;
        prev.written = false;
        prev.seen = n;
        continue;
      }
      if (!same && !prev.written) out.push(prev.point);
      out.push(p);
      prev.point = p;
      prev.written = true;
      prev.writtenMicros = p.timeMicros;
      prev.seen = n;
    }
    // senders gone from this snapshot (out of the top N, incident resolved): their last state, if it was held back
    for (const [ip, l] of this.last) {
      if (l.seen === n) continue;
      if (!l.written) out.push(l.point);
      this.last.delete(ip);
    }
    return out;
  }

  /** The points held back (each sender's last state, unchanged since its last point written): the end of a run. */
  flush(): MetricPoint[] {
    const out: MetricPoint[] = [];
    for (const l of this.last.values()) {
      if (!l.written) out.push(l.point);
      l.written = true;
    }
    return out;
  }
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
