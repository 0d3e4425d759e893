import type { Labels, Sample, TelemetrySnapshot } from '../telemetry/telemetry.js';

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

/** The field of a sender's point a sample is, or null when the sample is not a sender's. */
function senderField(s: Sample): string | null {
  if (s.name === 'sender_arp_packets_total') return s.labels.op === 'request' ? 'requests' : s.labels.op === 'reply' ? 'replies' : null;
  return s.name === 'sender_unresolved' ? 'unresolved' : null;
}

/**
 * A sender point's tags ({ ip }) for a sender sample's label set, built once when that set is (frozen: see LineEncoder).
 * A Map emptied past a bound, not a WeakMap: thousands of weak keys cost more in garbage collection than they save.
 */
const senderTagsOf = new Map<Labels, Labels>();
const SENDER_TAGS_AT_MOST = 40_000;
function senderTags(labels: Labels): Labels {
  if (!Object.isFrozen(labels)) return { ip: labels.ip };
  let tags = senderTagsOf.get(labels);
  if (tags === undefined) {
    if (senderTagsOf.size === SENDER_TAGS_AT_MOST) senderTagsOf.clear();
    senderTagsOf.set(labels, tags = Object.freeze({ ip: labels.ip }));
  }
  return tags;
}

/**
 * The snapshot's samples as points at `timeMicros`. `extraTags` (metrics.tags: which router, which port) go on every point;
 * a sample's own labels win. A value that is not finite is left out: line protocol has no NaN.
 */
export function snapshotPoints(snap: TelemetrySnapshot, timeMicros: number, extraTags?: Readonly<Record<string, string>>): MetricPoint[] {
  const t = Math.round(timeMicros);
  const points: MetricPoint[] = [];
  let senders: Map<string, Record<string, number>> | null = null;
  let lastIp: string | undefined;
  let lastFields: Record<string, number> | undefined;
  for (const s of snap.samples) {
    if (!Number.isFinite(s.value)) continue;
    const field = senderField(s);
    if (field === null) {
      points.push({ measurement: s.name, tags: extraTags === undefined ? s.labels : { ...extraTags, ...s.labels }, value: s.value, timeMicros: t });
      continue;
    }
    const ip = s.labels.ip;
    // a sender's samples come one after the other: the map only when they do not
    let fields = ip === lastIp ? lastFields : (senders ??= new Map()).get(ip);
    if (fields === undefined) {
      fields = {};
      (senders ??= new Map()).set(ip, fields);
      points.push({ measurement: SENDER_MEASUREMENT, tags: extraTags === undefined ? senderTags(s.labels) : { ...extraTags, ip }, value: Number.NaN, fields, timeMicros: t });
    }
    fields[field] = s.value;
    lastIp = ip;
    lastFields = fields;
  }
  return points;
}
