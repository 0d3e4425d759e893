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

/**
 * The library fills a username left out with `root` (and the password with `root`): the check would log in as root
 * where the configuration gave no credentials, unlike the writes. It keeps a null, and sends no Authorization then.
 */
const NO_USERNAME = null as unknown as string;

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
  /** a check has passed: the database is there */
  private prepared = false;
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
    this.db = new InfluxDB({ host, port, protocol: secure ? 'https' : 'http', database: this.database, username: username ?? NO_USERNAME, password, pool: POOL, options: { agent: this.agent } });
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
   * library on every replay: 1 ms of a replay's ~10 ms of metrics (bench/README.md, session 16). A server that answers
   * and refuses it (403: not an admin; InfluxDB 2.x's 1.x API: not implemented) is asked SHOW DATABASES: whether the
   * database is there to write into. No answer, or wrong credentials (401), ends the check at once.
   */
  async prepare(): Promise<void> {
    let refusal: unknown;
    try {
      await this.db.createDatabase(this.database);
      this.prepared = true;
      return;
    } catch (e) {
      if (!answered(e) || statusOf(e) === 401) throw failure(e);
      refusal = e;
    }
    let names: string[];
    try {
      names = await this.db.getDatabaseNames();
    } catch (e) {
      throw failure(e);
    }
    if (names.includes(this.database)) {
      this.prepared = true;
      return;
    }
    const who = this.username === undefined ? 'without credentials' : `the user ${this.username}`;
    throw new WriteFailure(statusOf(refusal) === 403
      ? `the database ${this.database} does not exist and ${who} may not create it (only an InfluxDB admin may): create it first`
      : `the database ${this.database} does not exist and could not be created (${failure(refusal).message}): create it first`);
  }

  /**
   * A daemon starts without the server (its check fails, unheard): until a check has passed, each write asks it first,
   * so a database missing at start is created when the server comes, not answered 404 for ever.
   */
  write(points: readonly MetricPoint[]): Promise<void> {
    return this.prepared ? this.send(points) : this.prepare().then(() => this.send(points));
  }

  private send(points: readonly MetricPoint[]): Promise<void> {
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

/** A server's reason cut to this many characters: one line of a log, not a proxy's whole page. */
const REASON_CHARS = 200;

/**
 * InfluxDB 1.x answers a refused write with {"error": "..."}: that sentence; another answer (a proxy's) its first line,
 * or the status's own words when it is empty or an HTML page.
 */
function serverError(body: string, statusMessage: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string') return oneLine(parsed.error);
  } catch {
    // not JSON: the text itself
  }
  const text = body.trim();
  if (text === '' || text.startsWith('<')) return statusMessage !== undefined && statusMessage !== '' ? statusMessage : 'no reason given';
  return oneLine(text);
}

function oneLine(text: string): string {
  const first = text.trim().split(/\r?\n/, 1)[0];
  return first.length > REASON_CHARS ? `${first.slice(0, REASON_CHARS)}…` : first;
}

/** The response the library's RequestError carries, or undefined. */
function responseOf(e: unknown): { statusCode?: number; statusMessage?: string } | undefined {
  return e !== null && typeof e === 'object' && 'res' in e ? (e as { res?: { statusCode?: number; statusMessage?: string } }).res : undefined;
}

/** The HTTP status of the library's RequestError, or undefined. */
function statusOf(e: unknown): number | undefined {
  return responseOf(e)?.statusCode;
}

/** How the `influx` library words what it reports (its RequestError, ResultError, ServiceNotAvailableError). */
const REQUEST_ERROR = ' error occurred: ';
const RESULT_ERROR = 'Error from InfluxDB: ';
const TIMED_OUT = 'Request timed out';
const NO_HOST = 'No host available';

/** The server answered and said no (an HTTP status, or an error in a 200's results), as against no answer at all. */
function answered(e: unknown): boolean {
  return statusOf(e) !== undefined || (e instanceof Error && e.message.startsWith(RESULT_ERROR));
}

/** The library's error as a WriteFailure in our words with the server's own reason; its status says whether retrying can help. */
function failure(e: unknown): WriteFailure {
  if (!(e instanceof Error)) return writeFailure(e);
  const status = statusOf(e);
  const at = e.message.indexOf(REQUEST_ERROR);
  if (status !== undefined && at >= 0) return writeFailure(new Error(serverError(e.message.slice(at + REQUEST_ERROR.length), responseOf(e)?.statusMessage)), status);
  if (e.message.startsWith(RESULT_ERROR)) return new WriteFailure(`InfluxDB refused it: ${oneLine(e.message.slice(RESULT_ERROR.length))}`);
  if (e.message === TIMED_OUT) return new WriteFailure('timed out');
  if (e.message === NO_HOST) return new WriteFailure('not answering');
  // a 5xx comes as the bare status text; a 200 that is not JSON (a proxy's page) as JSON.parse's complaint
  if (e.constructor.name === 'ServiceNotAvailableError' && status === undefined && !('code' in e)) return new WriteFailure(`server error (${oneLine(e.message)})`);
  if (e instanceof SyntaxError) return new WriteFailure('the answer is not InfluxDB\'s (not JSON: a proxy in the way?)');
  return writeFailure(e, status);
}
