/**
 * The capture daemon as a provider runs it (issue 13), end to end: `arpwarden capture` on the span port
 * of a provider VLAN built from network namespaces, with a real redis-server, a real influxd, an SMTP
 * server and `arpwarden worker`, all inside the capture's namespace (the test process cannot reach a
 * namespace's loopback: it asks with curl and redis-cli through `ip netns exec`, and reads the SMTP
 * server's messages from a directory).
 *
 * srv-a carries its failover 198.51.100.7 as an alias with a /24 netmask and keeps asking for addresses
 * of that /24 (case 1, alias-netmask). The test shows:
 * 1. the incident on /api/incidents, in InfluxDB (incidents_open{case=alias-netmask} = 1), in the JSON
 *    log, and exactly one email delivered;
 * 2. a restart of the daemon mid-incident (SIGTERM, as systemd stops it; started again): its state is in
 *    Redis (a queue is configured), so the same incident id, no second `incident_opened`, no second email;
 * 3. Redis and influxd stopped for 30 s while the noise goes on: capture goes on (frames counted), /readyz
 *    says 503 (sink:metrics) and 200 again after; writing comes back by itself, the outage overflows the metrics
 *    buffer (kept small here) and the points InfluxDB holds are exactly those not counted as dropped;
 * 4. everything resumes: points written after the outage carry on the frame count, and srv-b, made noisy the
 *    same way since the restart (a second customer), gets its email once, its job built at its incident's first
 *    update a minute on (while Redis is away or after), queued and sent through the Redis that came back; the
 *    workers' totals (kept in Redis, which runs with its AOF) count two emails sent.
 *
 * Needs root (see netns.ts), redis-server, influxd, curl; about 90 s.
 */
import { type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArpwardenCapture } from './arpwarden-capture.js';
import { assertNetnsUsable, netnsAvailability, NetnsLab, removeStaleNamespaces, stopChild, type Netns } from './netns.js';
import { ProviderVlan } from './provider-vlan.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const SMTP_TO_DIR = fileURLToPath(new URL('./smtp-to-dir.ts', import.meta.url));

const SRV_A = { id: 'srv-a', customer: 'c-1', ip: '203.0.113.10', mac: '0c:c4:7a:00:00:0a' };
const F_ALIAS = '198.51.100.7';
/** addresses of the wrong /24 that nobody holds: srv-a asks for them, unanswered */
const ABSENT = Array.from({ length: 12 }, (_, i) => `198.51.100.${40 + i}`);
/** the same misconfiguration on another customer's server, noisy from the restart on */
const SRV_B = { id: 'srv-b', customer: 'c-2', ip: '203.0.113.11', mac: '0c:c4:7a:00:00:0b' };
const F_B = '198.51.100.8';
const ABSENT_B = Array.from({ length: 12 }, (_, i) => `198.51.100.${60 + i}`);

const INVENTORY = `# written by test/e2e/production-daemon.test.ts
routers:
  - { ip: 203.0.113.254, mac: "00:00:5e:00:01:01" }
customers:
  - { id: ${SRV_A.customer}, name: Alpha Web, email: ops@alpha.example, locale: en }
  - { id: ${SRV_B.customer}, name: Beta Shop, email: ops@beta.example, locale: en }
servers:
  - { id: ${SRV_A.id}, customer: ${SRV_A.customer}, ip: ${SRV_A.ip}, mac: "${SRV_A.mac}", gateway: 203.0.113.254 }
  - { id: ${SRV_B.id}, customer: ${SRV_B.customer}, ip: ${SRV_B.ip}, mac: "${SRV_B.mac}", gateway: 203.0.113.254 }
failover_ips:
  - { ip: ${F_ALIAS}, server: ${SRV_A.id} }
  - { ip: ${F_B}, server: ${SRV_B.id} }
`;

/** the daemon's state is the Redis key arpwarden:{QUEUE}:state:INSTANCE:IF */
const STATE_INSTANCE = 'lab';
const STATE_KEY = `arpwarden:{arpwarden-email}:state:${STATE_INSTANCE}:span0`;
const PORTS = { redis: 6379, influx: 8086, influxRpc: 8088, smtp: 2525, web: 9740 };
const DB = 'arpwarden';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** A server process inside the namespace, started and restarted on the same arguments. */
class NsServer {
  private child: ChildProcess | null = null;
  log = '';

  constructor(private readonly ns: Netns, readonly name: string, private readonly argv: string[], private readonly ready: (s: NsServer) => Promise<boolean>) {}

  async up(): Promise<void> {
    this.log = '';
    const child = this.ns.spawn(this.argv, { cwd: REPO_ROOT, maxSeconds: 300 });
    this.child = child;
    child.stdout?.setEncoding('utf8').on('data', (s: string) => { this.log += s; });
    child.stderr?.setEncoding('utf8').on('data', (s: string) => { this.log += s; });
    await until(`${this.name} ready`, async () => {
      if (child.exitCode !== null) throw new Error(`${this.name} exited ${child.exitCode}: ${this.log}`);
      return this.ready(this);
    }, 20_000, 100);
  }

  async stop(): Promise<void> {
    // SIGTERM: `timeout` (see Netns.spawn) passes it on and waits for the server to exit
    if (this.child !== null) await stopChild(this.child, 'SIGTERM', 5_000);
    this.child = null;
  }
}

describe.skipIf(availability.skip)('the capture daemon in production: queue, metrics, web, log, a restart and an outage', () => {
  const lab = new NetnsLab('prod-');
  let tmp = '';
  let cap: Netns;
  let srvA: Netns;
  let srvB: Netns;
  let redis: NsServer;
  let influxd: NsServer;
  let worker: NsServer;
  let smtp: NsServer;
  let maildir = '';
  let args: { inventory: string; config: string };
  let noise: Promise<void> = Promise.resolve();
  let noiseB: Promise<void> = Promise.resolve();
  let noisy = true;
  /** a server's noise: one unanswered request from its failover for an address of the wrong /24 every 150 ms, until the end */
  const makeNoise = async (ns: Netns, from: string, absent: readonly string[]): Promise<void> => {
    for (let i = 0; noisy; i++) {
      await ns.ip('neigh', 'flush', 'dev', 'eth0');
      await ns.exec(['ping', '-n', '-q', '-c', '1', '-W', '0.1', '-I', from, absent[i % absent.length]], { allowFailure: true });
      await sleep(150);
    }
  };

  const curl = async (url: string, data?: string): Promise<string> => {
    const r = await cap.exec(['curl', '-sS', '--max-time', '5', ...(data === undefined ? [] : ['-G', '--data-urlencode', data]), url], { allowFailure: true });
    return r.code === 0 ? r.stdout : '';
  };
  const influxQuery = async (q: string): Promise<{ values?: unknown[][] }[]> => {
    const body = await curl(`http://127.0.0.1:${PORTS.influx}/query?db=${DB}`, `q=${q}`);
    if (body === '') return [];
    const doc = JSON.parse(body) as { results: { series?: { values?: unknown[][] }[] }[] };
    return doc.results[0]?.series ?? [];
  };
  const mails = async (): Promise<string[]> => (await readdir(maildir)).filter((f) => f.endsWith('.eml'));
  const jsonLog = (stderr: string): Record<string, unknown>[] => stderr.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const startCapture = (): Promise<ArpwardenCapture> => ArpwardenCapture.start(cap, 'span0', {
    inventory: args.inventory, config: args.config, seconds: 200,
    args: ['--web', `127.0.0.1:${PORTS.web}`, '--log-format', 'json'],
  });

  beforeAll(async () => {
    await assertNetnsUsable(['ping', 'curl', 'redis-server', 'redis-cli', 'influxd']);
    await removeStaleNamespaces();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aw-e2e-prod-'));
    maildir = path.join(tmp, 'mail');
    await mkdir(maildir, { recursive: true });
    args = { inventory: path.join(tmp, 'inventory.yaml'), config: path.join(tmp, 'arpwarden.yaml') };
    await writeFile(args.inventory, INVENTORY);
    await writeFile(args.config, [
      '# written by test/e2e/production-daemon.test.ts',
      `queue: { redis_url: "redis://127.0.0.1:${PORTS.redis}", backoff_seconds: 0.5, flush_seconds: 10 }`,
      `smtp: { host: 127.0.0.1, port: ${PORTS.smtp}, pool: false }`,
      // group_seconds 0: srv-b's email goes at its incident's first update, not a group window (5 min) later
      'email: { from: "Lab Hosting NOC <noc@lab.example>", reply_to: noc@lab.example, provider: Lab Hosting, group_seconds: 0 }',
      `state: { instance: ${STATE_INSTANCE} }`,
      // a buffer the 30 s outage overflows (the default holds 100,000 points): some points are dropped, and counted
      `metrics: { interval_seconds: 1, retry_seconds: 0.2, max_retry_seconds: 1, batch_size: 100, buffer: 200, influx: { url: "http://127.0.0.1:${PORTS.influx}/${DB}" } }`,
      '',
    ].join('\n'));

    const vlan = await ProviderVlan.create(await lab.namespace('vlan'));
    srvA = await lab.namespace('srv-a');
    srvB = await lab.namespace('srv-b');
    cap = await lab.namespace('cap');
    await vlan.span(cap, 'span0');
    for (const [ns, srv, failover] of [[srvA, SRV_A, F_ALIAS], [srvB, SRV_B, F_B]] as const) {
      await vlan.plug(ns, 'eth0', srv.mac);
      await ns.neighParam('eth0', 'mcast_solicit', 1);
      await ns.neighParam('eth0', 'retrans_time_ms', 100);
      await ns.addAddress('eth0', `${srv.ip}/24`);
      await ns.addAddress('eth0', `${failover}/24`);
    }

    // the servers, on the capture namespace's loopback; Redis with its AOF, as production runs it: the queue, the
    // "sent" markers and the workers' totals outlive its 30 s away
    redis = new NsServer(cap, 'redis-server', ['redis-server', '--port', String(PORTS.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', tmp],
      async (s) => s.log.includes('Ready to accept connections'));
    const influxDir = path.join(tmp, 'influxd');
    await mkdir(influxDir, { recursive: true });
    await writeFile(path.join(influxDir, 'influxdb.conf'), [
      'reporting-disabled = true', `bind-address = "127.0.0.1:${PORTS.influxRpc}"`,
      '[meta]', `  dir = "${influxDir}/meta"`, '[data]', `  dir = "${influxDir}/data"`, `  wal-dir = "${influxDir}/wal"`, '  query-log-enabled = false',
      '[http]', `  bind-address = "127.0.0.1:${PORTS.influx}"`, '  log-enabled = false', '[monitor]', '  store-enabled = false',
      '[continuous_queries]', '  enabled = false', '[logging]', '  level = "warn"', '',
    ].join('\n'));
    influxd = new NsServer(cap, 'influxd', ['influxd', '-config', path.join(influxDir, 'influxdb.conf')],
      async () => (await cap.exec(['curl', '-sf', '-o', '/dev/null', `http://127.0.0.1:${PORTS.influx}/ping`], { allowFailure: true })).code === 0);
    smtp = new NsServer(cap, 'smtp', [process.execPath, '--import', 'tsx', SMTP_TO_DIR, String(PORTS.smtp), maildir], async (s) => s.log.includes('ready'));
    await Promise.all([redis.up(), influxd.up(), smtp.up()]);
    worker = new NsServer(cap, 'worker', [process.execPath, '--import', 'tsx', CLI, 'worker', '--config', args.config, '--log-format', 'json'],
      async (s) => s.log.includes('"msg":"worker: queue'));
    await worker.up();

    // srv-a's noise, for the whole test
    noise = makeNoise(srvA, F_ALIAS, ABSENT);
  }, 90_000);

  afterAll(async () => {
    noisy = false;
    await Promise.all([noise, noiseB]);
    for (const s of [worker, smtp, influxd, redis]) await s?.stop();
    await lab.cleanup();
    if (tmp !== '') await rm(tmp, { recursive: true, force: true });
  }, 30_000);

  it('shows the incident on /api/incidents, in InfluxDB and in the log, mails it once, a restart mid-incident keeps its id and mails nothing again, and after Redis and InfluxDB away for 30 s everything resumes (new points, a second host\'s email once)', async () => {
    const first = await startCapture();
    const opened = await until('incident_opened', async () => first.events.find((e) => e.event === 'incident_opened' && e.incident.ip === F_ALIAS), 30_000);
    const id = opened.incident.id;
    expect(opened.incident.case).toBe('alias-netmask');

    const api = await until('the incident on /api/incidents', async () => {
      const body = await curl(`http://127.0.0.1:${PORTS.web}/api/incidents`);
      const doc = body === '' ? null : JSON.parse(body) as { incidents: { id: string; case: string; ip: string; customer: string | null }[] };
      return doc?.incidents.find((i) => i.id === id);
    }, 10_000);
    expect(api).toMatchObject({ case: 'alias-netmask', ip: F_ALIAS });

    const influxOpen = await until('incidents_open{case=alias-netmask} in InfluxDB', async () => {
      const s = await influxQuery(`SELECT last(value) FROM incidents_open WHERE "case" = 'alias-netmask'`);
      return s[0]?.values?.[0]?.[1] === 1 ? s : null;
    }, 15_000);
    expect(influxOpen).toHaveLength(1);

    const log = jsonLog(first.stderr);
    expect(log.find((l) => l.event === 'capture_started')).toMatchObject({ level: 'info', process: 'capture', interface: 'span0', state: `state in redis redis://127.0.0.1:${PORTS.redis} key ${STATE_KEY}` });
    expect(log.find((l) => l.event === 'web_listening')).toMatchObject({ url: `http://127.0.0.1:${PORTS.web}/` });

    // the restart, as systemd does it: SIGTERM (the state is saved), then the same command again
    const stopped = await first.stop();
    expect(stopped.exit.code).toBe(0);
    const firstCounted = pointsCounted(stopped.summary.traffic);
    const saved = JSON.parse((await cap.exec(['redis-cli', '-p', String(PORTS.redis), 'GET', STATE_KEY])).stdout) as { incidents: { id: string }[] };
    expect(saved.incidents.map((i) => i.id)).toEqual([id]);

    // the email job is built at the incident's first update or, as here, when the daemon stops: queued, then sent
    await until('one email delivered', async () => (await mails()).length >= 1, 20_000).catch((e: Error) => {
      throw new Error(`${e.message}\nworker: ${worker.log}`);
    });
    const mail = await readFile(path.join(maildir, (await mails())[0]), 'utf8');
    expect(mail).toMatch(/^To: .*ops@alpha\.example/m);
    expect(mail).toContain(F_ALIAS);

    const restartedAt = Date.now();
    const second = await startCapture();
    // srv-b's noise from now on: its incident opens in this daemon, and its email comes a minute later
    noiseB = makeNoise(srvB, F_B, ABSENT_B);
    const restored = jsonLog(second.stderr).find((l) => l.event === 'state_restored');
    expect(restored).toMatchObject({ level: 'info', incidents: 1 });
    // the noise goes on: the same incident takes the new evidence; nothing is opened again
    const carried = await until('the incident carried on after the restart', async () => {
      const body = await curl(`http://127.0.0.1:${PORTS.web}/api/incidents`);
      const doc = body === '' ? null : JSON.parse(body) as { incidents: { id: string; ip: string; last_seen: string }[] };
      // srv-a's (srv-b, noisy now too, may have one of its own by then)
      const a = doc?.incidents.filter((i) => i.ip === F_ALIAS) ?? [];
      return a.length === 1 && Date.parse(a[0].last_seen) > restartedAt ? a : null;
    }, 30_000, 500);
    expect(carried.map((i) => i.id)).toEqual([id]);
    expect(second.events.filter((e) => e.event === 'incident_opened' && e.incident.ip === F_ALIAS)).toEqual([]);
    await sleep(3_000); // a second email would have been sent by now (the worker polls continuously)
    expect(await mails()).toHaveLength(1);

    // Redis and influxd away for 30 s while the noise goes on
    const framesBefore = await frames();
    await Promise.all([redis.stop(), influxd.stop()]);
    // both outages show on /readyz (503): the metrics sink's InfluxDB and the emails' Redis
    const notReady = await until('/readyz 503 naming InfluxDB and Redis', async () => {
      const body = await curl(`http://127.0.0.1:${PORTS.web}/readyz`);
      const doc = body === '' ? null : JSON.parse(body) as { ready: boolean; checks: { name: string; ok: boolean; detail: string }[] };
      const down = new Set(doc?.checks.filter((c) => !c.ok).map((c) => c.name));
      return doc !== null && !doc.ready && down.has('sink:metrics') && down.has('sink:emails') ? doc : null;
    }, 20_000, 500);
    expect(notReady.checks.find((c) => c.name === 'capture')).toMatchObject({ ok: true });
    await sleep(30_000);
    const framesDuring = await frames();
    expect(framesDuring, 'capture went on while Redis and InfluxDB were away').toBeGreaterThan(framesBefore + 50);
    await Promise.all([redis.up(), influxd.up()]);

    // writing resumes by itself: points newer than the outage arrive, carrying the frames counted during it
    const resumedAt = Date.now();
    const after = await until('points written after the outage', async () => {
      const s = await influxQuery(`SELECT last(value) FROM frames_total`);
      const [t, v] = s[0]?.values?.[0] ?? [];
      // packet time: the frames' capture time, the same clock as ours
      return typeof t === 'string' && Date.parse(t) > resumedAt ? Number(v) : null;
    }, 30_000, 500);
    expect(after, 'the frame count written after the outage').toBeGreaterThanOrEqual(framesDuring);

    // the email path resumes too: srv-b's incident, opened since the restart, gets its email through the Redis that
    // came back, and only one
    const openedB = second.events.find((e) => e.event === 'incident_opened' && e.incident.ip === F_B);
    expect(openedB?.incident.case).toBe('alias-netmask');
    await until('srv-b\'s email delivered', async () => (await mails()).length >= 2, 60_000).catch((e: Error) => {
      throw new Error(`${e.message}\nworker: ${worker.log}`);
    });
    const mailB = await Promise.all((await mails()).map((f) => readFile(path.join(maildir, f), 'utf8')));
    expect(mailB.filter((m) => /^To: .*ops@beta\.example/m.test(m) && m.includes(F_B))).toHaveLength(1);
    // the workers' totals, kept in Redis across its outage, as the daemon reads them
    await until('email_worker_jobs_total{outcome="sent"} 2 on /api/stats', async () => (await statValue('email_worker_jobs_total', { outcome: 'sent' })) === 2, 10_000, 500);
    await until('/readyz 200 again', async () => {
      const body = await curl(`http://127.0.0.1:${PORTS.web}/readyz`);
      return body !== '' && (JSON.parse(body) as { ready: boolean }).ready;
    }, 15_000, 500);

    const final = await second.stop();
    expect(final.exit.code).toBe(0);
    // every point is either in InfluxDB or counted as dropped: nothing lost silently
    const stats = jsonLog(final.stderr);
    expect(stats.some((l) => l.event === 'sink_notice' && /influx|metrics/i.test(String(l.msg)))).toBe(true);
    const counted = pointsCounted(final.summary.traffic);
    expect(await influxCount()).toBe(firstCounted.written + counted.written);
    expect(counted.written).toBeGreaterThan(0);
    expect(counted.failed_writes, 'the writer saw influxd away').toBeGreaterThan(0);
    expect(counted.dropped, 'points dropped while influxd was away are counted').toBeGreaterThan(0);
    // srv-a's once, srv-b's once: nothing sent again after the outage
    expect(await mails()).toHaveLength(2);
  }, 240_000);

  async function frames(): Promise<number> {
    return (await statValue('frames_total')) ?? 0;
  }

  /** A sample of /api/stats, by name and labels. */
  async function statValue(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
    const body = await curl(`http://127.0.0.1:${PORTS.web}/api/stats`);
    if (body === '') return undefined;
    const doc = JSON.parse(body) as { samples: { name: string; labels?: Record<string, string>; value: number }[] };
    return doc.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels?.[k] === v))?.value;
  }

  async function influxCount(): Promise<number> {
    // a point each: `value` of every measurement but the senders' and the VLANs', whose points each have `requests`, `frames`
    const series = [...await influxQuery('SELECT count(value) FROM /.*/'), ...await influxQuery('SELECT count(requests) FROM sender_arp'),
      ...await influxQuery('SELECT count(frames) FROM vlan_arp')];
    let n = 0;
    for (const s of series) n += Number(s.values?.[0]?.[1] ?? 0);
    return n;
  }

  /** The metrics writer's own counts, from the summary's `metrics` part (one entry per InfluxDB). */
  function pointsCounted(traffic: Record<string, unknown>): { written: number; dropped: number; failed_writes: number } {
    const m = (traffic.metrics ?? {}) as Record<string, { written: number; dropped: number; failed_writes: number }>;
    const all = Object.values(m);
    expect(all).toHaveLength(1);
    return all[0];
  }
});

