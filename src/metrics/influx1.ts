import http from 'node:http';
import https from 'node:https';
import { InfluxDB, type IPoolOptions } from 'influx';
import { UserError } from '../common/user-error.js';
import type { MetricsConfig } from '../config/schema.js';
import { LineEncoder } from './line-protocol.js';
import type { MetricPoint } from './metric-point.js';
import { type PointTransport, WriteFailure, writeFailure } from './point-transport.js';

export type Influx1Config = NonNullable<MetricsConfig['influx']>;

const REQUEST_TIMEOUT_MS = 10_000;

/** The library's own retries and host backoff are off: the pump retries, and a library timer would keep a finished replay alive. */
const POOL: IPoolOptions = {
  maxRetries: 0,
  requestTimeout: REQUEST_TIMEOUT_MS,
  backoff: { getDelay: () => 0, next() { return this; }, reset() { return this; } },
};

/**
 * InfluxDB 1.x: http://[user:pass@]HOST:PORT/DATABASE; credentials in the URL, or username and password (or password_env).
 * The database check goes through `influx`; the points are written as line protocol of our own, POSTed to /write
 * through one keep-alive connection: the library's per-point objects and escaping were most of what metrics cost.
 */
export class Influx1Transport implements PointTransport {
  readonly name = 'influx';
  readonly target: string;
  readonly database: string;
  private readonly db: InfluxDB;
  private readonly encoder = new LineEncoder();
  private readonly request: typeof http.request;
  private readonly agent: http.Agent;
  private readonly writeOptions: http.RequestOptions;
  /** who the check names when the database is missing and may not be created */
  private readonly username: string | undefined;
  /** the last request's body (the encoder's buffer) is not all with the socket yet */
  private bodySending = false;

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
    this.username = username;
    let password = url.password !== '' ? decodeURIComponent(url.password) : cfg.password;
    if (cfg.password_env !== undefined) {
      password = env[cfg.password_env];
      if (password === undefined) throw new UserError(`metrics.influx.password_env: the environment variable ${cfg.password_env} is not set`);
    }
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 8086;
    this.target = `${url.protocol}//${url.hostname}:${port}/${this.database}`;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const secure = url.protocol === 'https:';
    this.request = secure ? https.request : http.request;
    // one write at a time (the pump's), after the database check: one connection for both, kept between writes
    this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 1 }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.db = new InfluxDB({ host, port, protocol: secure ? 'https' : 'http', database: this.database, username, password, pool: POOL, options: { agent: this.agent } });
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'text/plain; charset=utf-8' };
    if (username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    this.writeOptions = {
      host, port, method: 'POST', agent: this.agent, headers, timeout: REQUEST_TIMEOUT_MS,
      path: `/write?${new URLSearchParams({ db: this.database, precision: 'u' })}`,
    };
  }

  /**
   * CREATE DATABASE first: InfluxDB 1.x does nothing when the database is there, so where the user may create (no
   * authentication, or an admin) the check is one request. It was SHOW DATABASES then CREATE, two requests through the
   * library on every replay: 1 ms of a replay's ~10 ms of metrics (bench/README.md, session 16). A user without admin
   * rights is refused it (403): then SHOW DATABASES tells whether the database is there to write into.
   */
  async prepare(): Promise<void> {
    try {
      await this.db.createDatabase(this.database);
      return;
    } catch (e) {
      if (statusOf(e) !== 403) throw failure(e);
    }
    let names: string[];
    try {
      names = await this.db.getDatabaseNames();
    } catch (e) {
      throw failure(e);
    }
    if (!names.includes(this.database)) {
      throw new WriteFailure(`the database ${this.database} does not exist and the user ${this.username ?? '(none given)'} may not create it (only an InfluxDB admin may): create it first`, true);
    }
  }

  write(points: readonly MetricPoint[]): Promise<void> {
    // the encoder's own buffer, reused by the next write once this request has handed all of it to the socket (a
    // server may answer before reading it all: then the next write takes a buffer of its own)
    if (this.bodySending) this.encoder.detach();
    const body = this.encoder.encodeBytes(points);
    this.bodySending = true;
    return new Promise((resolve, reject) => {
      const req = this.request({ ...this.writeOptions, headers: { ...this.writeOptions.headers, 'Content-Length': body.length } }, (res) => {
        const status = res.statusCode ?? 0;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { if (text.length < 1000) text += chunk; });
        res.on('end', () => (status >= 200 && status < 300 ? resolve() : reject(writeFailure(new Error(serverError(text, res.statusMessage)), status))));
        res.on('error', (e) => reject(writeFailure(e)));
      });
      req.on('finish', () => { this.bodySending = false; });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => reject(writeFailure(e)));
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}

/** InfluxDB 1.x answers a refused write with {"error": "..."}: that sentence, or the status's own words. */
function serverError(body: string, statusMessage: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: the text itself
  }
  return body.trim() !== '' ? body.trim() : statusMessage ?? 'no reason given';
}

/** The HTTP status of the library's RequestError (it carries the response), or undefined. */
function statusOf(e: unknown): number | undefined {
  const res = e !== null && typeof e === 'object' && 'res' in e ? (e as { res?: { statusCode?: number } }).res : undefined;
  return res?.statusCode;
}

/** The words after which the library's RequestError message holds the server's answer (`A 401 Unauthorized error occurred: BODY`). */
const LIBRARY_PREAMBLE = ' error occurred: ';

/** The library's error as a WriteFailure with the server's own reason (not the library's sentence around it); its status says whether retrying can help. */
function failure(e: unknown): WriteFailure {
  const status = statusOf(e);
  const at = e instanceof Error ? e.message.indexOf(LIBRARY_PREAMBLE) : -1;
  if (status === undefined || !(e instanceof Error) || at < 0) return writeFailure(e, status);
  return writeFailure(new Error(serverError(e.message.slice(at + LIBRARY_PREAMBLE.length), undefined)), status);
}
