import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** A local HTTP server that records the v2 writes it receives (no InfluxDB 2.x server runs here) and answers 204. */
let server: http.Server;
let port = 0;
const writes: { url: string; auth: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => { chunks.push(d); });
    req.on('end', () => {
      // the client gzips a large body
      const raw = Buffer.concat(chunks);
      const body = (req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw).toString();
      writes.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => { await new Promise((r) => server.close(r)); });

describe('replay --influx2 (InfluxDB 2.x client, checked against a local HTTP server that records what it receives)', () => {
  it('writes the capture\'s series to the org and bucket with the token from the environment, on the capture\'s timeline', async () => {
    writes.length = 0;
    process.env.ARPWARDEN_TEST_INFLUX2_TOKEN = 'grafana-s3cret';
    const r = await runCli(['replay', 'fixtures/captures/duplicate-ip.pcap', '--inventory', 'fixtures/inventory.yaml', '--format', 'json',
      '--influx2', `http://127.0.0.1:${port}`, '--influx2-org', 'noc', '--influx2-bucket', 'arp', '--influx2-token-env', 'ARPWARDEN_TEST_INFLUX2_TOKEN']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { metrics: { written: number; dropped: number }; arp: { requests: number } };
    expect(doc.metrics.dropped).toBe(0);
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) {
      expect(w.url).toBe('/api/v2/write?org=noc&bucket=arp&precision=us');
      expect(w.auth).toBe('Token grafana-s3cret');
    }
    const lines = writes.flatMap((w) => w.body.split('\n'));
    expect(lines).toHaveLength(doc.metrics.written);
    // the last snapshot is at the last frame: 2026-11-02T09:14:54.934788Z
    expect(lines.find((l) => l.startsWith('vlan_arp,vlan=100 ') && l.endsWith(' 1793610894934788'))).toContain(`requests=${doc.arp.requests}`);
    expect(lines.some((l) => l.startsWith('incidents_total,case=duplicate-ip,change=opened value=1 '))).toBe(true);
  });

  it('says in one line what --influx2 is missing, before replaying (exit 2)', async () => {
    const url = `http://127.0.0.1:${port}`;
    const cases: [string[], string][] = [
      [['--influx2', url, '--influx2-bucket', 'b', '--influx2-token', 't'], 'arpwarden: --influx2 needs --influx2-org ORG'],
      [['--influx2', url, '--influx2-org', 'o', '--influx2-token', 't'], 'arpwarden: --influx2 needs --influx2-bucket BUCKET'],
      [['--influx2', url, '--influx2-org', 'o', '--influx2-bucket', 'b'], 'arpwarden: --influx2 needs --influx2-token TOKEN or --influx2-token-env VAR (one of them)'],
      [['--influx2-org', 'o'], 'arpwarden: --influx2-org needs --influx2 URL'],
      [['--influx2', `${url}/db`, '--influx2-org', 'o', '--influx2-bucket', 'b', '--influx2-token', 't'], `arpwarden: --influx2: ${url}/db is not http://HOST:PORT`],
    ];
    for (const [args, line] of cases) {
      const r = await runCli(['replay', 'fixtures/captures/duplicate-ip.pcap', ...args]);
      expect([args.join(' '), r.code, r.stdout, r.stderr.trim()]).toEqual([args.join(' '), 2, '', line]);
    }
  });
});
