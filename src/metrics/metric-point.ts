import type { Labels, TelemetrySnapshot } from '../telemetry/telemetry.js';

/** One value of one metric at one packet time: a measurement per metric name, its labels as tags, the field `value`. */
export interface MetricPoint {
  readonly measurement: string;
  readonly tags: Readonly<Record<string, string>>;
  /** the field `value` (NaN when `fields` holds the point's values) */
  readonly value: number;
  /** the fields of a point that holds several values (a sender's counts: SENDER_MEASUREMENT), written instead of `value` */
  readonly fields?: Readonly<Record<string, number>>;
  /** packet time, µs since the epoch */
  readonly timeMicros: number;
}

/**
 * The per-sender series are one point per IP in InfluxDB, its counts as fields: a third of the points of a snapshot
 * instead of most of them (20 senders were 60 of 114), and a third of the series InfluxDB indexes. Prometheus keeps
 * the families as the telemetry names them (sender_arp_packets_total by op, sender_unresolved).
 */
export const SENDER_MEASUREMENT = 'sender_arp';

/**
 * A VLAN's ARP is one point per VLAN, its frames and its counts by op as fields (arp_vlan_frames_total and
 * arp_vlan_packets_total by op in the telemetry and in Prometheus): five lines a VLAN were most of the points left of
 * a snapshot with a hundred VLANs, and influxd parsing them was the wait at the end of a replay.
 */
export const VLAN_MEASUREMENT = 'vlan_arp';

/** A family written as fields of one point per series: the point's measurement, the label naming the series, the field a sample is. */
interface Grouped {
  readonly measurement: string;
  readonly key: string;
  field(labels: Labels): string | undefined;
}

const OP_FIELDS: Readonly<Record<string, string>> = { request: 'requests', reply: 'replies', gratuitous: 'gratuitous', probe: 'probes' };
const SENDER_OPS: Readonly<Record<string, string>> = { request: 'requests', reply: 'replies' };
const GROUPED: ReadonlyMap<string, Grouped> = new Map<string, Grouped>([
  ['sender_arp_packets_total', { measurement: SENDER_MEASUREMENT, key: 'ip', field: (l) => SENDER_OPS[l.op] }],
  ['sender_unresolved', { measurement: SENDER_MEASUREMENT, key: 'ip', field: () => 'unresolved' }],
  ['arp_vlan_frames_total', { measurement: VLAN_MEASUREMENT, key: 'vlan', field: () => 'frames' }],
  ['arp_vlan_packets_total', { measurement: VLAN_MEASUREMENT, key: 'vlan', field: (l) => OP_FIELDS[l.op] }],
]);

/**
 * A grouped point's tags ({ ip } or { vlan }, with metrics.tags when set), built once per series and frozen, the same
 * object whichever of its samples comes first (LineEncoder and ChangedPointFilter key on the object). A Map emptied
 * past a bound, not a WeakMap: thousands of weak keys cost more in garbage collection than they save.
 */
const GROUP_TAGS_AT_MOST = 40_000;

/** One grouped series: its tags, and the fields of its point in the snapshotPoints call that last made one. */
interface GroupSeries {
  readonly tags: Labels;
  call: number;
  fields: Record<string, number>;
}

class GroupTags {
  /** by measurement and the key label's value: one tags object per series */
  private readonly byValue = new Map<string, Map<string, GroupSeries>>();
  /** by a sample's own label set (frozen, built once by its source): one lookup instead of two */
  private readonly byLabels = new Map<Labels, GroupSeries>();
  /** series made since the maps were last emptied */
  private made = 0;
  /** snapshotPoints calls, for GroupSeries.call */
  private calls = 0;

  constructor(readonly extraTags: Labels | undefined) {}

  /**
   * A snapshotPoints call begins: its number, for GroupSeries.call. The bound is kept here, between calls, never in
   * the middle of one: emptied there, a series' later samples would get a second point of the same snapshot. One
   * snapshot's own series may take the maps past it.
   */
  beginCall(): number {
    // both emptied together: a series keeps one tags object whichever of its label sets comes first
    if (this.byLabels.size >= GROUP_TAGS_AT_MOST || this.made >= GROUP_TAGS_AT_MOST) {
      this.byLabels.clear();
      this.byValue.clear();
      this.made = 0;
    }
    return ++this.calls;
  }

  get(g: Grouped, labels: Labels): GroupSeries {
    let series = this.byLabels.get(labels);
    if (series !== undefined) return series;
    const value = labels[g.key];
    let known = this.byValue.get(g.measurement);
    if (known === undefined) this.byValue.set(g.measurement, known = new Map());
    series = known.get(value);
    if (series === undefined) {
      known.set(value, series = { tags: Object.freeze({ ...this.extraTags, [g.key]: value }), call: -1, fields: {} });
      this.made++;
    }
    if (Object.isFrozen(labels)) this.byLabels.set(labels, series);
    return series;
  }
}

const plainGroupTags = new GroupTags(undefined);
/** the last metrics.tags object seen and its grouped points' tags (one writer, one configuration at a time) */
let taggedGroupTags = plainGroupTags;
function groupTagsFor(extraTags: Labels | undefined): GroupTags {
  if (extraTags === undefined) return plainGroupTags;
  if (taggedGroupTags.extraTags !== extraTags) taggedGroupTags = new GroupTags(extraTags);
  return taggedGroupTags;
}

/** The series of a snapshot of changes told unchanged (TelemetrySnapshot.same), as points' measurement and tags. */
export interface SameSeries {
  readonly measurements: string[];
  readonly tags: Labels[];
}

/**
 * The snapshot's samples as points at `timeMicros`. `extraTags` (metrics.tags: which router, which port) go on every point;
 * a sample's own labels win. A value that is not finite is left out: line protocol has no NaN. `same`, when given, is
 * filled with the series of `snap.same` (a snapshot of changes) as the points they would have been.
 */
export function snapshotPoints(snap: TelemetrySnapshot, timeMicros: number, extraTags?: Readonly<Record<string, string>>, same?: SameSeries): MetricPoint[] {
  const t = Math.round(timeMicros);
  const points: MetricPoint[] = [];
  const groupTags = groupTagsFor(extraTags);
  // a grouped series' point of this call is found by its GroupSeries, however its samples are ordered
  const call = groupTags.beginCall();
  // samples come in runs of one name: its family looked up once a run
  let name = '';
  let group: Grouped | undefined;
  for (const s of snap.samples) {
    if (!Number.isFinite(s.value)) continue;
    if (s.name !== name) {
      name = s.name;
      group = GROUPED.get(name);
    }
    const field = group?.field(s.labels);
    if (group === undefined || field === undefined) {
      points.push({ measurement: s.name, tags: extraTags === undefined ? s.labels : { ...extraTags, ...s.labels }, value: s.value, timeMicros: t });
      continue;
    }
    const series = groupTags.get(group, s.labels);
    if (series.call !== call) {
      series.call = call;
      series.fields = {};
      points.push({ measurement: group.measurement, tags: series.tags, value: Number.NaN, fields: series.fields, timeMicros: t });
    }
    series.fields[field] = s.value;
  }
  if (same !== undefined && snap.same !== undefined) {
    for (const k of snap.same) {
      const g = GROUPED.get(k.name);
      same.measurements.push(g !== undefined ? g.measurement : k.name);
      same.tags.push(g !== undefined ? groupTags.get(g, k.labels).tags : extraTags === undefined ? k.labels : { ...extraTags, ...k.labels });
    }
  }
  return points;
}
