import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './ports.js';

const INFLUXD = '/usr/bin/influxd';

/** A real influxd (Debian's InfluxDB 1.x) on a free loopback port, in a temp dir: its own config, data, no reporting. */
export class Influxd {
  private proc: ChildProcess | null = null;
  private log = '';

  private constructor(readonly port: number, readonly dir: string) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** the URL `--influx` and `metrics.influx.url` take */
  url(database: string): string {
    return `${this.origin}/${database}`;
  }

  /** `auth`: authentication on (`[http] auth-enabled`): the first statement must create an admin (see `admin`). */
  static async start(opts: { auth?: boolean } = {}): Promise<Influxd> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arpwarden-influxd-'));
    const server = new Influxd(await freePort(), dir);
    const rpc = await freePort();
    fs.writeFileSync(path.join(dir, 'influxdb.conf'), [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpc}"`,
      '[meta]', `  dir = "${dir}/meta"`,
      '[data]', `  dir = "${dir}/data"`, `  wal-dir = "${dir}/wal"`, '  query-log-enabled = false',
      '[http]', `  bind-address = "127.0.0.1:${server.port}"`, '  log-enabled = false', `  auth-enabled = ${opts.auth === true}`,
      '[monitor]', '  store-enabled = false',
      '[continuous_queries]', '  enabled = false',
      '[logging]', '  level = "warn"',
      '',
    ].join('\n'));
    await server.up();
    return server;
  }

  /** Starts it (again, on the same port and data). */
  async up(): Promise<void> {
    const proc = spawn(INFLUXD, ['run', '-config', path.join(this.dir, 'influxdb.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stdout!.on('data', (d: Buffer) => { this.log += d.toString(); });
    proc.stderr!.on('data', (d: Buffer) => { this.log += d.toString(); });
    await waitFor(`influxd on port ${this.port}`, async () => {
      if (proc.exitCode !== null) throw new Error(`influxd exited ${proc.exitCode}: ${this.log}`);
      try {
        return (await fetch(`${this.origin}/ping`)).status === 204;
      } catch {
        return false;
      }
    }, 30_000, 50);
  }

  /** Stops it at once (SIGKILL: a server that goes away, not one that says goodbye). Its data stays: the WAL is on disk. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (proc === null || proc.exitCode !== null || proc.signalCode !== null) { this.proc = null; return; }
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGKILL');
    await exited;
    this.proc = null;
  }

  /** An InfluxQL query over HTTP (`/query`, epoch µs): the series of the first statement. */
  async query(database: string, q: string, user?: { name: string; password: string }): Promise<InfluxSeries[]> {
    const auth: Record<string, string> = user === undefined ? {} : { u: user.name, p: user.password };
    const res = await fetch(`${this.origin}/query?${new URLSearchParams({ db: database, q, epoch: 'u', ...auth })}`);
    const body = await res.json() as { results?: { series?: InfluxSeries[]; error?: string }[]; error?: string };
    if (!res.ok || body.error !== undefined || body.results?.[0]?.error !== undefined) throw new Error(`influx query ${q}: ${res.status} ${JSON.stringify(body)}`);
    return body.results?.[0]?.series ?? [];
  }

  /** Statements as `user` (POST /query: users, grants, databases); throws with the server's answer when one is refused. */
  async admin(statements: string[], user?: { name: string; password: string }): Promise<void> {
    for (const q of statements) {
      const auth: Record<string, string> = user === undefined ? {} : { u: user.name, p: user.password };
      const res = await fetch(`${this.origin}/query?${new URLSearchParams({ q, ...auth })}`, { method: 'POST' });
      const body = await res.text();
      if (!res.ok || body.includes('"error"')) throw new Error(`influx ${q}: ${res.status} ${body}`);
    }
  }

  async close(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: (number | string | null)[][];
}
