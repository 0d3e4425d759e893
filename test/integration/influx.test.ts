import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { Influx1Transport } from '../../src/metrics/influx1.js';
import { MetricsWriter } from '../../src/metrics/metrics-writer.js';
import { Telemetry } from '../../src/telemetry/telemetry.js';
import { runCli } from './helpers/cli.js';
import { Influxd } from './helpers/influxd.js';
import { freePort, waitFor } from './helpers/ports.js';
import { INVENTORY, capturePath } from './helpers/setup.js';
import { parseIsoMicros } from '../helpers/iso-micros.js';
import { SAMPLE_POINTS } from '../helpers/recording-http-server.js';

let influxd: Influxd;
beforeAll(async () => { influxd = await Influxd.start(); });
afterAll(async () => { await influxd?.close(); });

/** series → its tag's value → the values in time order, with their times */
async function byTag(db: string, measurement: string, tag: string, where = ''): Promise<Map<string, [number, number][]>> {
  const series = await influxd.query(db, `SELECT value FROM "${measurement}" ${where} GROUP BY "${tag}"`);
  return new Map(series.map((s) => [s.tags![tag], s.values.map((v) => [Number(v[0]), Number(v[1])] as [number, number])]));
}

describe('metrics into a real influxd (InfluxDB 1.x)', () => {
  it('replay --influx writes the capture\'s telemetry on its own timeline: ARP by op, incidents by case, as the replay counted them', async () => {
    const db = 'replay_case1';
    const r = await runCli(['replay', capturePath('case1-alias-netmask.pcap'), '--inventory', INVENTORY, '--influx', influxd.url(db), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { first_packet: string; last_packet: string; arp: { requests: number; replies: number }; incidents: { case: string }[]; metrics: { written: number; dropped: number } };
    expect(doc.metrics.dropped).toBe(0);
    const first = parseIsoMicros(doc.first_packet);
    const last = parseIsoMicros(doc.last_packet);

    const ops = await byTag(db, 'arp_packets_total', 'op');
    expect([...ops.keys()].sort()).toEqual(['gratuitous', 'probe', 'reply', 'request']);
    const request = ops.get('request')!;
    // at the 10 s boundaries the capture crossed (a silent stretch gives one), then at the last frame: its timeline, not today's
    const times = request.map(([t]) => t);
    expect(times.length).toBeGreaterThan(40);
    for (const t of times.slice(0, -1)) expect(t % 10e6).toBe(0);
    expect(times[0]).toBeGreaterThan(first);
    expect(times[0] - first).toBeLessThanOrEqual(10e6);
    expect(request.at(-1)).toEqual([last, doc.arp.requests]);
    expect(ops.get('reply')!.at(-1)![1]).toBe(doc.arp.replies);
    expect(request.map(([, v]) => v)).toEqual([...request.map(([, v]) => v)].sort((a, b) => a - b));

    const opened = await byTag(db, 'incidents_total', 'case', `WHERE "change" = 'opened'`);
    const want = new Map<string, number>();
    for (const i of doc.incidents) want.set(i.case, (want.get(i.case) ?? 0) + 1);
    expect(want.size).toBeGreaterThan(0);
    for (const [c, series] of opened) expect([c, series.at(-1)![1]]).toEqual([c, want.get(c) ?? 0]);
    expect([...want.keys()].every((c) => opened.has(c))).toBe(true);

    // a point each: `value` of every measurement but the senders' and the VLANs', whose points all have requests (and
    // replies, unresolved), and frames
    const count = await influxd.query(db, 'SELECT count(value) FROM /.*/');
    const senders = await influxd.query(db, 'SELECT count(requests), count(replies), count(unresolved) FROM sender_arp');
    expect(senders[0].values[0].slice(1)).toEqual(Array(3).fill(senders[0].values[0][1]));
    const vlans = await influxd.query(db, 'SELECT count(frames) FROM vlan_arp');
    expect(Number(vlans[0].values[0][1])).toBeGreaterThan(0);
    expect(count.reduce((n, s) => n + Number(s.values[0][1]), 0) + Number(senders[0].values[0][1]) + Number(vlans[0].values[0][1])).toBe(doc.metrics.written);
  });

  it('replay --influx to a server that is not there ends in one line, exit 2, nothing printed (the replay stops at the failed check)', async () => {
    const port = await freePort();
    const r = await runCli(['replay', capturePath('case1-alias-netmask.pcap'), '--influx', `http://127.0.0.1:${port}/x`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`arpwarden: --influx: InfluxDB at http://127.0.0.1:${port}/x cannot be used: connection refused`);
    const bad = await runCli(['replay', capturePath('case1-alias-netmask.pcap'), '--influx', 'http://127.0.0.1:8086/']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^arpwarden: metrics\.influx\.url: .* names no database/);
  });

  it('influxd away when the check is asked (a daemon starting before it): the first write after it comes asks again, the database is created, the points land', async () => {
    const db = 'created_late';
    await influxd.stop();
    const transport = new Influx1Transport({ url: influxd.url(db) });
    await expect(transport.prepare()).rejects.toThrow('connection refused');
    await expect(transport.write(SAMPLE_POINTS)).rejects.toThrow('connection refused');
    await influxd.up();
    await transport.write(SAMPLE_POINTS);
    await transport.close();
    const count = await influxd.query(db, 'SELECT count(value) FROM /.*/');
    expect(count.reduce((n, s) => n + Number(s.values[0][1]), 0)).toBe(SAMPLE_POINTS.length);
  });

  it('influxd stopped in the middle and started again: writing resumes by itself, the points there are exactly those not dropped', async () => {
    const db = 'restart';
    // a small buffer: only the series that change are written (a handful a snapshot here), and it must overflow
    const cfg = { ...defaultConfig().metrics, interval_seconds: 1, buffer: 100, batch_size: 20, retry_seconds: 0.05, max_retry_seconds: 0.2 };
    const transport = new Influx1Transport({ url: influxd.url(db) });
    await transport.prepare();
    const telemetry = new Telemetry();
    const frames = telemetry.counter('frames_total', 'frames');
    const notices: string[] = [];
    const writer = new MetricsWriter(telemetry, [transport], cfg, { notice: (level, m) => notices.push(`${level} ${m}`) });
    const t0 = 1_790_000_000e6;
    const snapshots = 120;
    // packet time advances one second a step: a snapshot each step, as a capture's would
    const step = (i: number): void => { telemetry.add(frames, 10); writer.observe(t0 + i * 1e6); };
    step(0);
    for (let i = 1; i <= 30; i++) step(i);
    await writer.pumps[0].idle();
    await influxd.stop();
    for (let i = 31; i <= 90; i++) {
      step(i);
      await new Promise((r) => setTimeout(r, 5));
    }
    const pump = writer.pumps[0];
    await waitFor('a failed write', () => pump.failedWrites > 0);
    expect(pump.dropped).toBeGreaterThan(0);
    await influxd.up();
    for (let i = 91; i <= snapshots; i++) step(i);
    await waitFor('the points held to be written', () => pump.held === 0, 20_000);
    await writer.close(1000);

    const perSnapshot = telemetry.snapshot().samples.length;
    expect(pump.written + pump.dropped).toBe(writer.points);
    // the unchanged series were left out (the metrics writer's own counts, most of the time)
    expect(writer.points).toBeLessThan(snapshots * perSnapshot);
    const count = await influxd.query(db, 'SELECT count(value) FROM /.*/');
    expect(count.reduce((n, s) => n + Number(s.values[0][1]), 0)).toBe(pump.written);
    // the drops are the oldest held while it was away: every snapshot before the stop and after the restart is whole
    const times = (await influxd.query(db, 'SELECT value FROM frames_total'))[0].values.map((v) => Number(v[0]));
    for (let i = 1; i <= 30; i++) expect(times).toContain(t0 + i * 1e6);
    for (let i = 91; i <= snapshots; i++) expect(times).toContain(t0 + i * 1e6);
    expect(notices.filter((n) => n.includes('is away'))).toHaveLength(1);
    expect(notices.filter((n) => n.includes('is back'))).toHaveLength(1);
  });
});
