import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { queueCounts } from '../../src/daemon/sinks/queue-counts.js';
import type { EmailJob } from '../../src/email/job.js';
import { openEmailQueue } from '../../src/email/queue/email-queue.js';
import { QueueKeys } from '../../src/email/queue/keys.js';
import { closeRedis, redisClient } from '../../src/email/queue/redis.js';
import { Influx1Transport } from '../../src/metrics/influx1.js';
import { MetricsWriter } from '../../src/metrics/metrics-writer.js';
import { sampleValue, Telemetry } from '../../src/telemetry/telemetry.js';
import { MaybeSentError } from '../../src/worker/maybe-sent-error.js';
import { RedisOutcomeTotals } from '../../src/worker/outcome-totals.js';
import { RedisSendClaims } from '../../src/worker/send-claim.js';
import { removeConfigs, runCli, writeConfig } from './helpers/cli.js';
import { Influxd, type InfluxSeries } from './helpers/influxd.js';
import { waitFor } from './helpers/ports.js';
import { RedisServer } from './helpers/redis-server.js';
import { INVENTORY, ROOT, capturePath } from './helpers/setup.js';
import { parseIsoMicros } from '../helpers/iso-micros.js';

/**
 * Every query of config/grafana/arpwarden-dashboard.json against a real influxd holding a replayed capture.
 * The capture is duplicate-ip.pcap: 15 minutes of VLAN 100 (so the VLAN variable has a real value) with requests,
 * replies and gratuitous announcements, requests left unanswered, and a customer case incident (duplicate-ip) on one
 * IP that opens and resolves, whose email --outbox writes: every row of the dashboard has something to show.
 * The queue panel's series is a daemon's (it reads Redis): it is written from a real redis-server by the same code.
 */
const DASHBOARD = path.join(ROOT, 'config', 'grafana', 'arpwarden-dashboard.json');
const CAPTURE = 'duplicate-ip.pcap';

interface Target { refId: string; query: string; rawQuery?: boolean; datasource?: { uid?: string } }
interface Panel { id: number; type: string; title: string; datasource?: { uid?: string }; targets?: Target[]; panels?: Panel[] }
interface Variable { name: string; type: string; query: string; multi?: boolean; includeAll?: boolean; datasource?: { uid?: string } }
interface Dashboard { panels: Panel[]; templating: { list: Variable[] } }

const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as Dashboard;
/** every panel that queries, rows' nested panels included */
const queryPanels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');

let influxd: Influxd;
let redis: RedisServer;
let outbox: string;
const DB = 'grafana_dashboard';
let first = 0;
let last = 0;
let replay: { incidents: { case: string; ip: string }[]; top_talkers: { ip: string; frames: number }[]; vlans: { vlan: number | null }[]; emails: { outbox: { written: number } } };

/** The InfluxDB data source's interpolation of a variable in a regex (`=~ /^$vlan$/`): one value, or (a|b) for several. */
function regexValue(values: string[]): string {
  const esc = values.map((v) => v.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'));
  return esc.length === 1 ? esc[0] : `(${esc.join('|')})`;
}

/** A panel's query as Grafana sends it: the time range, the interval and the variables put in. */
function interpolate(q: string, vars: Record<string, string>, interval = '10s'): string {
  let out = q
    .replaceAll('$timeFilter', `time >= ${first}u AND time <= ${last}u`)
    .replaceAll('$__interval_ms', String(Number.parseInt(interval, 10) * 1000))
    .replaceAll('$__interval', interval)
    .replaceAll('$interval', interval);
  for (const [name, value] of Object.entries(vars)) out = out.replaceAll(`\${${name}}`, value).replaceAll(`$${name}`, value);
  return out;
}

/** The series of one panel's target (its first by default) in `db`, VLAN All. */
async function panelSeriesOf(db: string, title: string, interval = '10s', refId?: string): Promise<InfluxSeries[]> {
  const p = queryPanels.find((x) => x.title === title);
  if (p === undefined) throw new Error(`no panel "${title}"`);
  const values = await variableValues();
  const vars = Object.fromEntries([...values].map(([name, v]) => [name, regexValue(v)]));
  const t = refId === undefined ? p.targets![0] : p.targets!.find((x) => x.refId === refId)!;
  return influxd.query(db, interpolate(t.query, vars, interval));
}

function nonNull(series: InfluxSeries[]): number {
  return series.reduce((n, s) => n + s.values.filter((v) => v.slice(1).some((x) => x !== null)).length, 0);
}

/** The variables' values from influxd, as the dashboard would list them. */
async function variableValues(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const v of dashboard.templating.list) {
    const series = await influxd.query(DB, interpolate(v.query, {}));
    out.set(v.name, series.flatMap((s) => s.values.map((row) => String(row[1]))));
  }
  return out;
}

beforeAll(async () => {
  [influxd, redis] = await Promise.all([Influxd.start(), RedisServer.start()]);
  outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'arpwarden-grafana-outbox-'));
  const r = await runCli(['replay', capturePath(CAPTURE), '--inventory', INVENTORY, '--influx', influxd.url(DB), '--outbox', outbox, '--format', 'json']);
  if (r.code !== 0) throw new Error(`replay: exit ${r.code}: ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as typeof replay & { first_packet: string; last_packet: string };
  replay = doc;
  first = parseIsoMicros(doc.first_packet);
  last = parseIsoMicros(doc.last_packet);

  // the email queue's counts as a capture daemon writes them: two jobs waiting, one delayed, one maybe sent (failed
  // as the email worker fails it: the relay never answered), on the capture's timeline
  const cfg = { ...defaultConfig().queue, name: 'grafana-dashboard' };
  const conn = redisClient(redis.url, 'worker');
  const queue = openEmailQueue(conn, cfg);
  const workerConn = redisClient(redis.url, 'worker');
  const worker = new Worker(cfg.name, async () => {
    throw new UnrecoverableError(new MaybeSentError('no answer from the relay after the send began (ETIMEDOUT)').message);
  }, { connection: workerConn });
  await queue.add('email', {} as EmailJob, { jobId: 'm1' });
  await waitFor('the maybe-sent job', async () => (await queue.getJobCounts('failed')).failed === 1);
  await worker.close();
  await closeRedis(workerConn);
  await queue.add('email', {} as EmailJob, { jobId: 'w1' });
  await queue.add('email', {} as EmailJob, { jobId: 'w2' });
  await queue.add('email', {} as EmailJob, { jobId: 'd1', delay: 3_600_000 });
  // the workers' totals as the email worker writes them: the maybe-sent job, and one email sent before the capture
  // and one in its middle (so the sent rate is not all zeros)
  const keys = new QueueKeys(cfg.name);
  const claims = new RedisSendClaims(conn, keys, 2000, 600);
  const sendOne = (id: string): Promise<void> => claims.sent(id, 'token', { messageId: `<${id}@example.net>`, sentAt: new Date().toISOString() });
  await new RedisOutcomeTotals(conn, keys, 600).countOnce('m1', 'maybe-sent');
  await sendOne('s1');
  const t = new Telemetry();
  const counts = queueCounts(cfg, redis.url, t, 50);
  await waitFor('the queue counts', () => sampleValue(t.snapshot(), 'email_queue_jobs', { state: 'waiting' }) === 2
    && sampleValue(t.snapshot(), 'email_queue_jobs', { state: 'maybe-sent' }) === 1
    && sampleValue(t.snapshot(), 'email_worker_jobs_total', { outcome: 'sent' }) === 1);
  const transport = new Influx1Transport({ url: influxd.url(DB) });
  await transport.prepare();
  const writer = new MetricsWriter(t, [transport], defaultConfig().metrics);
  const middle = first + Math.floor((last - first) / 20e6) * 10e6;
  for (let ts = first; ts <= middle; ts += 10e6) writer.observe(ts);
  await sendOne('s2');
  await waitFor('the second send counted', () => sampleValue(t.snapshot(), 'email_worker_jobs_total', { outcome: 'sent' }) === 2);
  for (let ts = middle + 10e6; ts <= last; ts += 10e6) writer.observe(ts);
  await writer.close(10_000);
  await counts.stop();
  await queue.close();
  await closeRedis(conn);
}, 120_000);

afterAll(async () => {
  await Promise.all([influxd?.close(), redis?.close()]);
  if (outbox !== undefined) fs.rmSync(outbox, { recursive: true, force: true });
});

describe(`the Grafana dashboard against a real influxd holding replay --influx of ${CAPTURE}`, () => {
  it('refers to its datasource by the fixed uid the provisioning file gives it, in every panel and target', () => {
    const provisioned = fs.readFileSync(path.join(ROOT, 'config', 'grafana', 'provisioning', 'datasources', 'arpwarden.yaml'), 'utf8');
    expect(provisioned).toMatch(/^\s+uid: arpwarden-influxdb$/m);
    expect(queryPanels.length).toBeGreaterThan(10);
    for (const p of queryPanels) {
      expect([p.title, p.datasource?.uid]).toEqual([p.title, 'arpwarden-influxdb']);
      expect(p.targets?.length ?? 0).toBeGreaterThan(0);
      for (const t of p.targets!) expect([p.title, t.datasource?.uid, t.rawQuery]).toEqual([p.title, 'arpwarden-influxdb', true]);
    }
    for (const v of dashboard.templating.list) expect(v.datasource?.uid).toBe('arpwarden-influxdb');
  });

  it('every template variable\'s query returns values; VLAN gives the capture\'s VLAN', async () => {
    const values = await variableValues();
    expect(values.size).toBe(dashboard.templating.list.length);
    for (const [name, v] of values) expect([name, v.length > 0]).toEqual([name, true]);
    expect(values.get('vlan')).toEqual(replay.vlans.map((v) => (v.vlan === null ? 'none' : String(v.vlan))));
  });

  for (const choice of ['all', 'one'] as const) {
    it(`every panel's every target returns a non-empty series (VLAN: ${choice === 'all' ? 'All, a regex of every value' : 'the first value'})`, async () => {
      const values = await variableValues();
      const vars = Object.fromEntries([...values].map(([name, v]) => [name, regexValue(choice === 'all' ? v : v.slice(0, 1))]));
      for (const p of queryPanels) {
        for (const t of p.targets!) {
          const q = interpolate(t.query, vars);
          // a variable left (a `$` before a name: `$` alone is a regex's end)
          expect([p.title, /\$[A-Za-z_{]/.test(q)]).toEqual([p.title, false]);
          const series = await influxd.query(DB, q);
          expect([p.title, t.refId, nonNull(series) > 0]).toEqual([p.title, t.refId, true]);
        }
      }
    });
  }

  const panelSeries = (title: string, interval = '10s'): Promise<InfluxSeries[]> => panelSeriesOf(DB, title, interval);

  it('ARP rate per VLAN and op: one series for VLAN 100 with a column per op, gratuitous announcements seen, no probes', async () => {
    const series = await panelSeries('ARP rate per VLAN and op', '1m');
    expect(series.map((s) => s.tags!.vlan)).toEqual(['100']);
    expect(series[0].columns).toEqual(['time', 'request', 'reply', 'gratuitous', 'probe']);
    const column = (name: string): number[] => series[0].values.map((v) => Number(v[series[0].columns.indexOf(name)]));
    expect(column('request').some((n) => n > 0)).toBe(true);
    expect(column('gratuitous').some((n) => n > 0)).toBe(true);
    expect(column('probe').every((n) => n === 0)).toBe(true);
  });

  it('incidents: the duplicate-ip incident is open for a while and then resolved, opened once', async () => {
    const open = await panelSeries('Open incidents by case');
    const dup = open.find((s) => s.tags!.case === 'duplicate-ip')!;
    expect(Math.max(...dup.values.map((v) => Number(v[1])))).toBe(1);
    expect(Number(dup.values.at(-1)![1])).toBe(0);
    const opened = await panelSeries('Incidents opened by case');
    const sum = (c: string): number => opened.find((s) => s.tags!.case === c)?.values.reduce((n, v) => n + Number(v[1]), 0) ?? 0;
    expect(sum('duplicate-ip')).toBe(replay.incidents.filter((i) => i.case === 'duplicate-ip').length);
    expect(sum('duplicate-ip')).toBe(1);
  });

  it('top talkers: the duplicated IP is the top sender, with the frames the replay counted for it', async () => {
    const rows = await panelSeries('Top talkers: ARP sent in the range');
    const top = replay.top_talkers[0];
    const ip = top.ip;
    expect(ip).toBe(replay.incidents.find((i) => i.case === 'duplicate-ip')!.ip);
    // one row per sender: the growth of its requests and of its replies
    const row = rows.find((s) => s.tags!.ip === ip)!;
    expect(row.columns).toEqual(['time', 'requests', 'replies']);
    const spread = Number(row.values[0][1]) + Number(row.values[0][2]);
    // the growth within the range: its frames from the first snapshot on (its first frames came before it)
    expect(spread).toBeGreaterThan(0.9 * top.frames);
    expect(spread).toBeLessThanOrEqual(top.frames);
  });

  it('unresolved ARP on VLAN 100, and the email path: the outbox\'s email, the workers\' sends and the queue\'s jobs', async () => {
    const unresolved = await panelSeries('Unresolved requests per VLAN', '1m');
    expect(unresolved.map((s) => s.tags!.vlan)).toEqual(['100']);
    expect(unresolved[0].values.some((v) => Number(v[1]) > 0)).toBe(true);
    const emails = await panelSeries('Email jobs by outcome', '1m');
    const written = emails.find((s) => s.tags!.transport === 'outbox' && s.tags!.outcome === 'written')!;
    expect(written.values.reduce((n, v) => n + Number(v[1]), 0)).toBe(replay.emails.outbox.written);
    // the workers' totals as rates: the email sent in the middle of the capture, no failure
    const p = queryPanels.find((x) => x.title === 'Email jobs by outcome')!;
    const workers = await influxd.query(DB, interpolate(p.targets!.find((x) => x.refId === 'B')!.query, {}, '1m'));
    const growth = (o: string): number => workers.find((s) => s.tags!.outcome === o)!.values.reduce((n, v) => n + Number(v[1]), 0);
    expect(new Set(workers.map((s) => s.tags!.outcome))).toEqual(new Set(['sent', 'failed', 'maybe-sent', 'muted', 'muted-resolved']));
    expect([growth('sent'), growth('failed'), growth('maybe-sent')]).toEqual([1, 0, 0]);
    const queue = await panelSeries('Email queue');
    expect(new Map(queue.map((s) => [s.tags!.state, Number(s.values.at(-1)![1])]))).toEqual(new Map([['waiting', 2], ['delayed', 1], ['failed', 0], ['maybe-sent', 1]]));
  });
});

describe('replay --influx without --inventory (decode only)', () => {
  it('still writes the traffic series the network row shows: ARP per VLAN and op, the top talkers', async () => {
    const db = 'grafana_no_inventory';
    const r = await runCli(['replay', capturePath(CAPTURE), '--influx', influxd.url(db), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ops = await influxd.query(db, 'SELECT last("requests") AS "request", last("replies") AS "reply", last("gratuitous") AS "gratuitous", last("probes") AS "probe" FROM "vlan_arp" GROUP BY "vlan"');
    expect(ops.map((s) => [s.tags!.vlan, s.columns])).toEqual([['100', ['time', 'request', 'reply', 'gratuitous', 'probe']]]);
    const senders = await influxd.query(db, 'SELECT last("requests") FROM "sender_arp" GROUP BY "ip"');
    expect(senders.length).toBeGreaterThan(0);
    const doc = JSON.parse(r.stdout) as { arp: { requests: number } };
    expect(Number(ops[0].values[0][1])).toBe(doc.arp.requests);
  });
});

describe('two capture daemons writing one influxd (two routers: host router-a and router-b, as capture tags them)', () => {
  const TWO = 'grafana_two_daemons';
  beforeAll(async () => {
    for (const host of ['router-a', 'router-b']) {
      const config = defaultConfig();
      config.metrics.tags = { host, interface: 'eth0' };
      const r = await runCli(['replay', capturePath(CAPTURE), '--inventory', INVENTORY, '--influx', influxd.url(TWO), '--config', writeConfig(config), '--format', 'json']);
      if (r.code !== 0) throw new Error(`replay: exit ${r.code}: ${r.stderr}`);
    }
  }, 60_000);
  afterAll(() => removeConfigs());

  const values = (series: InfluxSeries[], column = 1): number[] => series.flatMap((x) => x.values.map((v) => Number(v[column] ?? 0)));

  it('the network and incident rows add the daemons up: twice the one daemon\'s rates, incidents opened and top talker', async () => {
    const one = await panelSeriesOf(DB, 'ARP rate per VLAN and op', '1m');
    const two = await panelSeriesOf(TWO, 'ARP rate per VLAN and op', '1m');
    expect(two.map((x) => x.tags!.vlan)).toEqual(['100']);
    expect(values(two).map((n) => Math.round(n * 1000))).toEqual(values(one).map((n) => Math.round(n * 2000)));
    const opened = (await panelSeriesOf(TWO, 'Incidents opened by case')).find((x) => x.tags!.case === 'duplicate-ip')!;
    expect(values([opened]).reduce((a, b) => a + b, 0)).toBe(2);
    const ip = replay.top_talkers[0].ip;
    const spread = async (db: string): Promise<number[]> => {
      const row = (await panelSeriesOf(db, 'Top talkers: ARP sent in the range')).find((x) => x.tags!.ip === ip)!;
      return [values([row], 1)[0], values([row], 2)[0]];
    };
    expect(await spread(TWO)).toEqual((await spread(DB)).map((n) => 2 * n));
  });

  it('the pipeline\'s health and the open incidents are one line per daemon, each the one daemon\'s own', async () => {
    const one = await panelSeriesOf(DB, 'Frames read', '1m');
    const two = await panelSeriesOf(TWO, 'Frames read', '1m');
    expect(two.map((x) => x.tags!.host).sort()).toEqual(['router-a', 'router-b']);
    for (const x of two) expect(values([x])).toEqual(values(one));
    // a gauge: stacked, one line per daemon and case
    const open = (await panelSeriesOf(TWO, 'Open incidents by case')).filter((x) => x.tags!.case === 'duplicate-ip');
    expect(open.map((x) => x.tags!.host).sort()).toEqual(['router-a', 'router-b']);
    for (const x of open) expect([Math.max(...values([x])), values([x]).at(-1)]).toEqual([1, 0]);
  });
});
