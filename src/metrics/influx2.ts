import { InfluxDB, HttpError, Point, setLogger, type WriteApi } from '@influxdata/influxdb-client';
import { UserError } from '../common/user-error.js';
import type { MetricsConfig } from '../config/schema.js';
import type { MetricPoint } from './metric-point.js';
import { type PointTransport, writeFailure } from './point-transport.js';

export type Influx2Config = NonNullable<MetricsConfig['influx2']>;

// the pump says once that the server is away; the client would log each failure to the console
setLogger({ error: () => {}, warn: () => {} });

/**
 * InfluxDB 2.x and 3.x through `@influxdata/influxdb-client` (the v2 write API, precision µs). The client's own
 * batching, timer and retry buffer are off: each batch of the pump is one request, awaited, and the pump retries it.
 */
export class Influx2Transport implements PointTransport {
  readonly name = 'influx2';
  readonly target: string;
  private readonly api: WriteApi;

  constructor(cfg: Influx2Config, maxBatch: number, env: NodeJS.ProcessEnv = process.env) {
    let url: URL;
    try {
      url = new URL(cfg.url);
    } catch {
      throw new UserError(`metrics.influx2.url: ${cfg.url} is not a URL (expected http://HOST:PORT)`);
    }
    const token = cfg.token_env !== undefined ? env[cfg.token_env] : cfg.token;
    if (token === undefined) throw new UserError(`metrics.influx2.token_env: the environment variable ${cfg.token_env ?? ''} is not set`);
    this.target = `${url.origin} (org ${cfg.org}, bucket ${cfg.bucket})`;
    this.api = new InfluxDB({ url: url.origin, token, timeout: 10_000 }).getWriteApi(cfg.org, cfg.bucket, 'us', {
      // never sends by itself: flush() sends what write() added, as one request
      batchSize: maxBatch + 1, flushInterval: 0, maxRetries: 0, maxBufferLines: maxBatch + 1,
    });
  }

  /** The v2 API has no check that needs no extra rights: the first write tells. */
  async prepare(): Promise<void> {}

  async write(points: readonly MetricPoint[]): Promise<void> {
    const out = new Array<Point>(points.length);
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      const point = new Point(p.measurement).timestamp(p.timeMicros);
      if (p.fields === undefined) point.floatField('value', p.value);
      else for (const k in p.fields) point.floatField(k, p.fields[k]);
      for (const k in p.tags) point.tag(k, p.tags[k]);
      out[i] = point;
    }
    this.api.writePoints(out);
    try {
      await this.api.flush();
    } catch (e) {
      throw writeFailure(e, e instanceof HttpError ? e.statusCode : undefined);
    }
  }

  async close(): Promise<void> {
    this.api.dispose();
  }
}
