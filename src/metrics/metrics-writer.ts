import type { MetricsConfig } from '../config/schema.js';
import type { MetricDeclaration, Telemetry } from '../telemetry/telemetry.js';
import { type MetricPoint, type SameSeries, snapshotPoints } from './metric-point.js';
import { PointPump } from './point-pump.js';
import { ChangedPointFilter } from './changed-points.js';
import type { PointTransport } from './point-transport.js';

const WRITER_METRICS: readonly MetricDeclaration[] = [
  ['metrics_points_written_total', 'counter', 'metric points InfluxDB took, by target (influx, influx2)'],
  ['metrics_points_dropped_total', 'counter', 'metric points dropped, by target: the oldest when the buffer was full (InfluxDB away), refused ones, those left at exit'],
  ['metrics_points_held', 'gauge', 'metric points held in memory now, by target, waiting for InfluxDB'],
  ['metrics_writes_failed_total', 'counter', 'writes to InfluxDB that failed, by target'],
  ['metrics_write_retries_total', 'counter', 'writes to InfluxDB tried again after a failure, by target'],
];

export interface MetricsWriterOptions {
  /** where the daemon's notices go: the server went away, came back, refused points */
  notice?: (level: 'info' | 'warn', message: string) => void;
}

/**
 * The telemetry snapshot as points, every `interval_seconds` of packet time, into one pump per InfluxDB.
 * The caller tells it where packet time is (`observe`, cheap to call: it compares with `nextDueMicros`); a snapshot
 * is taken at each interval boundary packet time crosses, stamped with the boundary, so a replayed capture lands on
 * its own timeline, aligned as a live one would be. `finish()` writes the last state at the last packet time.
 */
/**
 * Points wait this long for a full batch (metrics.batch_size), ms: a daemon's snapshot (every interval_seconds) goes
 * within it, a replay's hundred snapshots go in a few writes instead of one request each.
 */
const LINGER_MS = 25;

export class MetricsWriter {
  /** packet time at which the next snapshot is due; 0 until the first observe sets it */
  nextDueMicros = 0;
  readonly pumps: readonly PointPump[];
  private readonly intervalMicros: number;
  private started = false;
  private lastWrittenMicros = -1;
  private readonly changed = new ChangedPointFilter();
  /** the series told unchanged in a snapshot, emptied for the next (thousands of senders: not two new arrays each time) */
  private readonly same: SameSeries = { measurements: [], tags: [] };
  /** snapshots taken */
  snapshots = 0;
  /** points handed to each pump: the snapshots' points less the unchanged ones (ChangedPointFilter) */
  points = 0;

  constructor(private readonly telemetry: Telemetry, transports: readonly PointTransport[], private readonly cfg: MetricsConfig, opts: MetricsWriterOptions = {}) {
    this.intervalMicros = cfg.interval_seconds * 1e6;
    this.pumps = transports.map((t) => new PointPump({
      transport: t, capacity: cfg.buffer, batchSize: cfg.batch_size, lingerMs: LINGER_MS, retryMs: cfg.retry_seconds * 1000, maxRetryMs: cfg.max_retry_seconds * 1000,
      onDown: (reason) => opts.notice?.('warn', `${t.target} is away (${reason}): holding up to ${cfg.buffer} points, dropping the oldest past it`),
      onUp: (n) => opts.notice?.('info', `${t.target} is back after ${n} failed write${n === 1 ? '' : 's'}: writing the points held`),
      onRefused: (reason, n) => opts.notice?.('warn', `${t.target} refused ${n} points (${reason}): dropped`),
    }));
    telemetry.describeAll(WRITER_METRICS);
    // one frozen label set per target, the same every snapshot: the encoder and the filter find its series by the object
    const targets = this.pumps.map((p) => Object.freeze({ target: p.transport.name }));
    telemetry.source('metrics', (out) => {
      for (let i = 0; i < this.pumps.length; i++) {
        const p = this.pumps[i];
        const labels = targets[i];
        out.counter('metrics_points_written_total', p.written, labels);
        out.counter('metrics_points_dropped_total', p.dropped, labels);
        out.gauge('metrics_points_held', p.held, labels);
        out.counter('metrics_writes_failed_total', p.failedWrites, labels);
        out.counter('metrics_write_retries_total', p.retries, labels);
      }
    });
  }

  /** Packet time is now `tMicros`: writes a snapshot at the latest interval boundary crossed since the last one. */
  observe(tMicros: number): void {
    if (tMicros < this.nextDueMicros) return;
    const iv = this.intervalMicros;
    const boundary = Math.floor(tMicros / iv) * iv;
    if (this.started) this.writeAt(boundary);
    // the first packet time only sets the clock: before it there is nothing to show
    this.started = true;
    this.nextDueMicros = boundary + iv;
  }

  /** The last state, at the snapshot's packet time (the end of a replay or capture). */
  finish(): void {
    const t = this.telemetry.snapshot().packetTimeMicros;
    if (t > 0 && Math.round(t) !== this.lastWrittenMicros) this.writeAt(t, true);
    else this.push(this.changed.flush());
  }

  /** Waits up to `timeoutMs` for the points held to be written; returns how many were not (counted as dropped). */
  async close(timeoutMs: number): Promise<number> {
    const left = await Promise.all(this.pumps.map((p) => p.close(timeoutMs)));
    await Promise.all(this.pumps.map((p) => p.transport.close()));
    return left.reduce((a, b) => a + b, 0);
  }

  /** For /readyz: each target answering, or since when it does not and what is held. */
  health(): { ok: boolean; detail: string } {
    const down = this.pumps.filter((p) => p.isDown);
    if (down.length === 0) return { ok: true, detail: this.pumps.map((p) => `${p.transport.target}: writing`).join('; ') };
    return { ok: false, detail: down.map((p) => `${p.transport.target}: not answering (${p.lastError ?? 'no reply'}), ${p.held} points held, ${p.dropped} dropped`).join('; ') };
  }

  /** One line per target for the exit summary. */
  report(): string[] {
    return this.pumps.map((p) => `metrics: ${p.transport.target}: ${p.written} points written, ${p.dropped} dropped, ${p.failedWrites} failed writes`
      + (p.lastError !== null && p.dropped > 0 ? ` (last: ${p.lastError})` : ''));
  }

  json(): Record<string, { written: number; dropped: number; failed_writes: number; retries: number }> {
    const out: Record<string, { written: number; dropped: number; failed_writes: number; retries: number }> = {};
    for (const p of this.pumps) out[p.transport.name] = { written: p.written, dropped: p.dropped, failed_writes: p.failedWrites, retries: p.retries };
    return out;
  }

  private writeAt(tMicros: number, final = false): void {
    // a snapshot of changes: the senders unchanged since the last one come as `same`, no samples or points made for them
    const same = this.same;
    same.measurements.length = 0;
    same.tags.length = 0;
    const all = snapshotPoints(this.telemetry.snapshotChanges(this), tMicros, this.cfg.tags, same);
    const points = this.changed.select(all, final, same, tMicros);
    this.snapshots++;
    this.lastWrittenMicros = Math.round(tMicros);
    this.push(points);
  }

  private push(points: readonly MetricPoint[]): void {
    if (points.length === 0) return;
    this.points += points.length;
    for (const p of this.pumps) p.push(points);
  }
}
