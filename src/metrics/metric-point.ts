import type { TelemetrySnapshot } from '../telemetry/telemetry.js';

/** One value of one metric at one packet time: a measurement per metric name, its labels as tags, the field `value`. */
export interface MetricPoint {
  readonly measurement: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly value: number;
  /** packet time, µs since the epoch */
  readonly timeMicros: number;
}

/**
 * The snapshot's samples as points at `timeMicros`. `extraTags` (metrics.tags: which router, which port) go on every point;
 * a sample's own labels win. A value that is not finite is left out: line protocol has no NaN.
 */
export function snapshotPoints(snap: TelemetrySnapshot, timeMicros: number, extraTags?: Readonly<Record<string, string>>): MetricPoint[] {
  const t = Math.round(timeMicros);
  const points: MetricPoint[] = [];
  for (const s of snap.samples) {
    if (!Number.isFinite(s.value)) continue;
    points.push({ measurement: s.name, tags: extraTags === undefined ? s.labels : { ...extraTags, ...s.labels }, value: s.value, timeMicros: t });
  }
  return points;
}
