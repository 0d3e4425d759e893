import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './ports.js';

const PROMETHEUS = '/usr/bin/prometheus';

/**
 * Where Prometheus runs: this process's network namespace (spawn, fetch), or another one (an e2e test's
 * `Netns`: its loopback is not ours, so the API is asked from inside it, with curl).
 */
export interface PrometheusPlace {
  spawn(argv: readonly string[]): ChildProcess;
  /** a command run to completion inside that namespace */
  exec(argv: readonly string[], options?: { allowFailure?: boolean }): Promise<{ stdout: string; code: number | null }>;
}

export interface PrometheusOptions {
  /** HOST:PORT of every target, scraped at /metrics */
  targets: readonly string[];
  /** scrape (and evaluation) interval, seconds @defaultValue 1 */
  intervalSeconds?: number;
  /** @defaultValue this process's namespace */
  place?: PrometheusPlace;
}

/** One sample of an instant vector (`/api/v1/query`): its labels and its value. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** A real Prometheus (Debian's) on a free loopback port, in a temp dir: its own config and TSDB, scraping the targets. */
export class Prometheus {
  private proc: ChildProcess | null = null;
  private log = '';

  private constructor(readonly port: number, readonly dir: string, private readonly place: PrometheusPlace | null) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(o: PrometheusOptions): Promise<Prometheus> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arpwarden-prometheus-'));
    const server = new Prometheus(await freePort(), dir, o.place ?? null);
    const every = `${o.intervalSeconds ?? 1}s`;
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), [
      'global:', `  scrape_interval: ${every}`, `  scrape_timeout: ${every}`, `  evaluation_interval: ${every}`,
      'scrape_configs:', '  - job_name: arpwarden', '    metrics_path: /metrics',
      '    static_configs:', `      - targets: [${o.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
      '',
    ].join('\n'));
    const argv = [PROMETHEUS, `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${server.port}`, '--log.level=warn'];
    const proc = o.place !== undefined ? o.place.spawn(argv) : spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    server.proc = proc;
    proc.stdout?.on('data', (d: Buffer) => { server.log += d.toString(); });
    proc.stderr?.on('data', (d: Buffer) => { server.log += d.toString(); });
    try {
      await waitFor(`prometheus on port ${server.port}`, async () => {
        if (proc.exitCode !== null) throw new Error(`prometheus exited ${proc.exitCode}: ${server.log}`);
        return (await server.get('/-/ready').catch(() => null))?.status === 200;
      }, 30_000, 100);
    } catch (e) {
      await server.close();
      throw e;
    }
    return server;
  }

  /** An instant query (`/api/v1/query`): the samples of the vector it gives. */
  async query(promql: string): Promise<PromSample[]> {
    const r = await this.get(`/api/v1/query?${new URLSearchParams({ query: promql })}`);
    const body = JSON.parse(r.body) as { status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success' || body.data?.resultType !== 'vector') throw new Error(`prometheus query ${promql}: ${r.status} ${r.body}`);
    return body.data.result.map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
  }

  /** The scrape targets' health as Prometheus sees it (`/api/v1/targets`): "up", "down" or "unknown" each, and its last error. */
  async targets(): Promise<{ scrapeUrl: string; health: string; lastError: string }[]> {
    const r = await this.get('/api/v1/targets');
    const body = JSON.parse(r.body) as { data: { activeTargets: { scrapeUrl: string; health: string; lastError: string }[] } };
    return body.data.activeTargets.map(({ scrapeUrl, health, lastError }) => ({ scrapeUrl, health, lastError }));
  }

  /** What it logged (warnings and errors): for a failure's message. */
  get output(): string {
    return this.log;
  }

  /** Stops it (SIGTERM, SIGKILL after 5 s) and removes its directory. Idempotent. */
  async close(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (proc !== null && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async get(route: string): Promise<{ status: number; body: string }> {
    const url = `${this.origin}${route}`;
    if (this.place === null) {
      const res = await fetch(url);
      return { status: res.status, body: await res.text() };
    }
    // curl prints the body, then the status on a line of its own
    const r = await this.place.exec(['curl', '-sS', '--max-time', '5', '-w', '\n%{http_code}', url], { allowFailure: true });
    if (r.code !== 0) throw new Error(`curl ${url}: exit ${r.code}`);
    const cut = r.stdout.lastIndexOf('\n');
    return { status: Number(r.stdout.slice(cut + 1)), body: r.stdout.slice(0, cut) };
  }
}
