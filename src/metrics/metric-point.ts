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

/** The field of a sender's point a sample is, or null when the sample is not a sender's. */
function senderField(name: string, labels: Labels): string | null {
  if (name === 'sender_arp_packets_total') return labels.op === 'request' ? 'requests' : labels.op === 'reply' ? 'replies' : null;
  return name === 'sender_unresolved' ? 'unresolved' : null;
}

/**
 * A sender point's tags ({ ip }, with metrics.tags when set) for a sender sample's label set, built once when that set
 * is (frozen: see LineEncoder and ChangedPointFilter, which key on the object). A Map emptied past a bound, not a
 * WeakMap: thousands of weak keys cost more in garbage collection than they save.
 */
const SENDER_TAGS_AT_MOST = 40_000;
class SenderTags {
  private readonly of = new Map<Labels, Labels>();

  constructor(readonly extraTags: Labels | undefined) {}

  get(labels: Labels): Labels {
    if (!Object.isFrozen(labels)) return { ...this.extraTags, ip: labels.ip };
    let tags = this.of.get(labels);
    if (tags === undefined) {
      if (this.of.size === SENDER_TAGS_AT_MOST) this.of.clear();
      this.of.set(labels, tags = Object.freeze({ ...this.extraTags, ip: labels.ip }));
    }
    return tags;
  }
}
const plainSenderTags = new SenderTags(undefined);
/** the last metrics.tags object seen and its senders' tags (one writer, one configuration at a time) */
let taggedSenderTags = plainSenderTags;
function senderTagsFor(extraTags: Labels | undefined): SenderTags {
  if (extraTags === undefined) return plainSenderTags;
  if (taggedSenderTags.extraTags !== extraTags) taggedSenderTags = new SenderTags(extraTags);
  return taggedSenderTags;
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
  const senderTags = senderTagsFor(extraTags);
  let senders: Map<string, Record<string, number>> | null = null;
  let lastIp: string | undefined;
  let lastFields: Record<string, number> | undefined;
  for (const s of snap.samples) {
    if (!Number.isFinite(s.value)) continue;
    const field = senderField(s.name, s.labels);
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
      points.push({ measurement: SENDER_MEASUREMENT, tags: senderTags.get(s.labels), value: Number.NaN, fields, timeMicros: t });
    }
    fields[field] = s.value;
    lastIp = ip;
    lastFields = fields;
  }
  if (same !== undefined && snap.same !== undefined) {
    for (const k of snap.same) {
      const sender = senderField(k.name, k.labels) !== null;
      same.measurements.push(sender ? SENDER_MEASUREMENT : k.name);
      same.tags.push(sender ? senderTags.get(k.labels) : extraTags === undefined ? k.labels : { ...extraTags, ...k.labels });
    }
  }
  return points;
}
