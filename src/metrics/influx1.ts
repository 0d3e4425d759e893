import { InfluxDB, type IPoint, type IPoolOptions } from 'influx';
import { UserError } from '../common/user-error.js';
import type { MetricsConfig } from '../config/schema.js';
import type { MetricPoint } from './metric-point.js';
import { type PointTransport, WriteFailure, writeFailure } from './point-transport.js';

export type Influx1Config = NonNullable<MetricsConfig['influx']>;

/** The library's own retries and host backoff are off: the pump retries, and a library timer would keep a finished replay alive. */
const POOL: IPoolOptions = {
  maxRetries: 0,
  requestTimeout: 10_000,
  backoff: { getDelay: () => 0, next() { return this; }, reset() { return this; } },
};

/** InfluxDB 1.x through `influx`: http://[user:pass@]HOST:PORT/DATABASE; credentials in the URL, or username and password (or password_env). */
export class Influx1Transport implements PointTransport {
  readonly name = 'influx';
  readonly target: string;
  readonly database: string;
  private readonly db: InfluxDB;

  constructor(cfg: Influx1Config, env: NodeJS.ProcessEnv = process.env) {
    let url: URL;
    try {
      url = new URL(cfg.url);
    } catch {
      throw new UserError(`metrics.influx.url: ${cfg.url} is not a URL (expected http://HOST:PORT/DATABASE)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`metrics.influx.url: ${url.protocol} is not http: or https: (expected http://HOST:PORT/DATABASE)`);
    this.database = decodeURIComponent(url.pathname.replace(/^\/|\/$/g, ''));
    if (this.database === '' || this.database.includes('/')) throw new UserError(`metrics.influx.url: ${cfg.url} names no database (expected http://HOST:PORT/DATABASE)`);
    const username = url.username !== '' ? decodeURIComponent(url.username) : cfg.username;
    let password = url.password !== '' ? decodeURIComponent(url.password) : cfg.password;
    if (cfg.password_env !== undefined) {
      password = env[cfg.password_env];
      if (password === undefined) throw new UserError(`metrics.influx.password_env: the environment variable ${cfg.password_env} is not set`);
    }
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 8086;
    this.target = `${url.protocol}//${url.hostname}:${port}/${this.database}`;
    this.db = new InfluxDB({
      host: url.hostname.replace(/^\[|\]$/g, ''), port, protocol: url.protocol === 'https:' ? 'https' : 'http',
      database: this.database, username, password, pool: POOL,
    });
  }

  async prepare(): Promise<void> {
    try {
      const names = await this.db.getDatabaseNames();
      if (!names.includes(this.database)) await this.db.createDatabase(this.database);
    } catch (e) {
      throw failure(e);
    }
  }

  async write(points: readonly MetricPoint[]): Promise<void> {
    const out: IPoint[] = new Array<IPoint>(points.length);
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      out[i] = { measurement: p.measurement, tags: p.tags, fields: { value: p.value }, timestamp: p.timeMicros };
    }
    try {
      await this.db.writePoints(out, { precision: 'u' });
    } catch (e) {
      throw failure(e);
    }
  }

  async close(): Promise<void> {}
}

/** The library's RequestError carries the response: its status says whether retrying can help. */
function failure(e: unknown): WriteFailure {
  const res = e !== null && typeof e === 'object' && 'res' in e ? (e as { res?: { statusCode?: number } }).res : undefined;
  return writeFailure(e, res?.statusCode);
}
