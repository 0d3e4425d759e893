import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpdumpLines } from '../../test/helpers/tcpdump.js';
import { FileSource } from '../capture/file-source.js';
import { isoMicros } from '../common/time.js';
import { defaultConfig } from '../config/schema.js';
import type { IncidentJson } from '../incidents/incident-json.js';
import { loadInventory } from '../inventory/load.js';
import { replayFile } from '../pipeline/replay.js';
import { sampleValue, Telemetry, type TelemetrySnapshot } from '../telemetry/telemetry.js';
import { buildApp } from './app.js';
import { bookView, type IncidentView } from './incident-view.js';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures');
const CAPTURE = 'case2-vmac-gateway.pcap';
const dir = mkdtempSync(path.join(tmpdir(), 'arpwarden-web-'));
let incidents: IncidentView;
let telemetry: Telemetry;

beforeAll(async () => {
  telemetry = new Telemetry();
  const run = await replayFile(new FileSource(path.join(FIXTURES, 'captures', CAPTURE)), defaultConfig(), loadInventory(path.join(FIXTURES, 'inventory.yaml')), [], telemetry);
  incidents = bookView(run.detection!.book);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = (token?: string): ReturnType<typeof buildApp> => buildApp({ incidents, telemetry, token });

/** Prometheus's text format back into families (TYPE, HELP) and samples (`name{labels}` → value). */
function parsePrometheus(text: string): { types: Map<string, string>; help: Map<string, string>; values: Map<string, number> } {
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^# TYPE (\S+) (\S+)$/.exec(line)) !== null) types.set(m[1], m[2]);
    else if ((m = /^# HELP (\S+) (.*)$/.exec(line)) !== null) help.set(m[1], m[2]);
    else if ((m = /^(\S+?(?:\{.*\})?) (\S+)$/.exec(line)) !== null) values.set(m[1], Number(m[2]));
  }
  return { types, help, values };
}

describe('the web API (inject, on a replay of the vmac-gateway capture)', () => {
  it('GET /healthz: up, packet time and frames', async () => {
    const r = await app().inject('/healthz');
    expect(r.statusCode).toBe(200);
    const snap = telemetry.snapshot();
    expect(snap.packetTimeMicros).toBeGreaterThan(0);
    expect(r.json()).toEqual({ up: true, packet_time: isoMicros(snap.packetTimeMicros), frames: sampleValue(snap, 'frames_total') });
    expect(r.json<{ frames: number }>().frames).toBeGreaterThan(0);
  });

  it('GET /api/incidents: what `replay --format json` gives per incident (the committed expected file)', async () => {
    const r = await app().inject('/api/incidents');
    expect(r.statusCode).toBe(200);
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected', CAPTURE.replace('.pcap', '.incidents.json')), 'utf8')) as IncidentJson[];
    expect(expected.length).toBeGreaterThan(0);
    expect(r.json<{ incidents: IncidentJson[] }>().incidents).toEqual(expected);
  });

  it('GET /api/incidents/:id: the incident and its latest frames; an unknown id is a JSON 404', async () => {
    const [first] = incidents.list();
    const r = await app().inject(`/api/incidents/${first.id}`);
    expect(r.statusCode).toBe(200);
    const body = r.json<IncidentJson & { last_samples: string[] }>();
    expect(body.id).toBe(first.id);
    expect(body.samples).toEqual(first.samples);
    expect(Array.isArray(body.last_samples)).toBe(true);
    const missing = await app().inject('/api/incidents/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
    expect(missing.json()).toMatchObject({ error: 'not_found' });
    expect((await app().inject('/no/such/route')).json()).toMatchObject({ error: 'not_found' });
  });

  it('GET /api/stats: the telemetry snapshot', async () => {
    const r = await app().inject('/api/stats');
    expect(r.statusCode).toBe(200);
    const body = r.json<{ metrics: Record<string, { kind: string; help: string }>; samples: { name: string; labels: Record<string, string>; value: number }[] }>();
    const snap: TelemetrySnapshot = telemetry.snapshot();
    expect(body.samples).toHaveLength(snap.samples.length);
    expect(body.samples.find((s) => s.name === 'frames_total')?.value).toBe(sampleValue(snap, 'frames_total'));
    expect(body.metrics.arp_packets_total.kind).toBe('counter');
  });

  it('GET /metrics: Prometheus text, every family prefixed, counters as counters, labels as labels, values of the snapshot', async () => {
    const r = await app().inject('/metrics');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types, help, values } = parsePrometheus(r.body);
    const snap = telemetry.snapshot();
    for (const [name, info] of snap.metrics) expect(types.get(`arpwarden_${name}`), name).toBe(info.kind);
    expect(help.get('arpwarden_frames_total')).toBe(snap.metrics.get('frames_total')!.help);
    expect(values.get('arpwarden_frames_total')).toBe(sampleValue(snap, 'frames_total'));
    expect(values.get('arpwarden_arp_packets_total{op="request"}')).toBe(sampleValue(snap, 'arp_packets_total', { op: 'request' }));
    expect(sampleValue(snap, 'arp_packets_total', { op: 'request' })).toBeGreaterThan(0);
  });

  it('GET /metrics: every label it carries is one docs/web-api.md names (the per-sender `ip` too: its cardinality is the reader\'s business)', async () => {
    const text = (await app().inject('/metrics')).body;
    const emitted = new Set<string>();
    for (const m of text.matchAll(/^arpwarden_\w+\{([^}]*)\}/gm)) for (const l of m[1].matchAll(/(\w+)="/g)) emitted.add(l[1]);
    expect(emitted.has('ip')).toBe(true);
    const doc = readFileSync(path.join(import.meta.dirname, '../../docs/web-api.md'), 'utf8');
    const sentence = /The labels are\s+those telemetry writes \(([^)]*)\)/.exec(doc);
    expect(sentence).not.toBeNull();
    const listed = new Set([...sentence![1].matchAll(/`(\w+)`/g)].map((m) => m[1]));
    expect([...emitted].filter((l) => !listed.has(l))).toEqual([]);
    expect(doc).not.toMatch(/never\s+a sender's IP/);
  });

  it('GET /api/incidents/:id/evidence.pcap: a pcap whose tcpdump lines are the incident\'s samples, then its latest frames', async () => {
    let withLast = 0;
    for (const inc of incidents.list()) {
      const r = await app().inject(`/api/incidents/${inc.id}/evidence.pcap`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/vnd.tcpdump.pcap');
      expect(r.headers['content-disposition']).toBe(`attachment; filename="${inc.id}.pcap"`);
      const file = path.join(dir, `${inc.id}.pcap`);
      writeFileSync(file, r.rawPayload);
      const json = (await app().inject(`/api/incidents/${inc.id}`)).json<{ samples: string[]; last_samples: string[] }>();
      if (json.last_samples.length > 0) withLast++;
      expect(await tcpdumpLines(file)).toEqual([...json.samples, ...json.last_samples]);
    }
    expect(withLast).toBeGreaterThan(0);
    expect((await app().inject('/api/incidents/nope/evidence.pcap')).statusCode).toBe(404);
  });
});

describe('web.token', () => {
  const TOKEN = 'a-token-of-32-characters-or-so!!';
  it('every route but /healthz needs the bearer token: none and a wrong one 401 (JSON), the right one 200', async () => {
    const a = app(TOKEN);
    for (const url of ['/api/incidents', '/api/stats', '/metrics', `/api/incidents/${incidents.list()[0].id}/evidence.pcap`]) {
      const none = await a.inject(url);
      expect(none.statusCode, url).toBe(401);
      expect(none.json(), url).toMatchObject({ error: 'unauthorized' });
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
      expect((await a.inject({ url, headers: { authorization: `Bearer ${TOKEN}x` } })).statusCode, url).toBe(401);
      expect((await a.inject({ url, headers: { authorization: TOKEN } })).statusCode, url).toBe(401);
      expect((await a.inject({ url, headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, url).toBe(200);
    }
    expect((await a.inject('/healthz')).statusCode).toBe(200);
    expect((await a.inject('/healthz?x=1')).statusCode).toBe(200);
  });
});

describe('/readyz', () => {
  it('200 when every check holds, 503 naming the one that does not; answered without the token, like /healthz', async () => {
    let influxUp = true;
    const readiness = (): { checks: { name: string; ok: boolean; detail: string }[] } => ({
      checks: [
        { name: 'capture', ok: true, detail: 'capturing on span0 (42 frames)' },
        { name: 'sink:metrics', ok: influxUp, detail: influxUp ? 'influx1 http://127.0.0.1:8086/aw: writing' : 'influx1 http://127.0.0.1:8086/aw: not answering (connection refused), 120 points held, 0 dropped' },
      ],
    });
    const a = buildApp({ incidents, telemetry, token: 'a-token-of-32-characters-or-so!!', readiness });
    const up = await a.inject({ url: '/readyz' });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ ready: true, checks: readiness().checks });
    influxUp = false;
    const down = await a.inject({ url: '/readyz' });
    expect(down.statusCode).toBe(503);
    const body = down.json() as { ready: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    expect(body.ready).toBe(false);
    expect(body.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['sink:metrics']);
    expect((await a.inject({ url: '/api/stats' })).statusCode).toBe(401);
  });
});
