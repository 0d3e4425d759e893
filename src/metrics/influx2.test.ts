import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingHttpServer, SAMPLE_POINTS } from '../../test/helpers/recording-http-server.js';
import { Influx2Transport } from './influx2.js';
import { PointPump } from './point-pump.js';

let rec: RecordingHttpServer;
beforeAll(async () => { rec = await RecordingHttpServer.start(); });
afterAll(() => rec.close());

const points = SAMPLE_POINTS;

describe('InfluxDB 2.x client, checked against a local HTTP server that records what it receives (no 2.x server runs here)', () => {
  it('sends one v2 write per batch: org, bucket, precision us, the token, line protocol with tags and the float field value', async () => {
    rec.received.length = 0;
    const t = new Influx2Transport({ url: `http://127.0.0.1:${rec.port}`, org: 'noc', bucket: 'arp wardens', token_env: 'TEST_INFLUX_TOKEN' }, 100,
      { TEST_INFLUX_TOKEN: 's3cret' });
    await t.write(points);
    await t.close();
    expect(rec.received).toHaveLength(1);
    const r = rec.received[0];
    expect(r.method).toBe('POST');
    const url = new URL(r.url, 'http://x');
    expect(url.pathname).toBe('/api/v2/write');
    expect(Object.fromEntries(url.searchParams)).toEqual({ org: 'noc', bucket: 'arp wardens', precision: 'us' });
    expect(r.auth).toBe('Token s3cret');
    expect(r.type).toMatch(/^text\/plain/);
    expect(r.body.split('\n')).toEqual([
      'arp_packets_total,op=request,router=r\\ 1 value=674 1793610010000000',
      'incidents_open,case=alias-netmask value=1.5 1793610894934788',
    ]);
  });

  it('a sender\'s point sends its counts as float fields instead of value', async () => {
    rec.received.length = 0;
    const t = new Influx2Transport({ url: `http://127.0.0.1:${rec.port}`, org: 'noc', bucket: 'b', token: 'tk' }, 10);
    await t.write([{ measurement: 'sender_arp', tags: { ip: '192.0.2.7' }, value: Number.NaN, fields: { requests: 12, replies: 3 }, timeMicros: 1_793_610_010_000_000 }]);
    await t.close();
    expect(rec.received.map((r) => r.body)).toEqual(['sender_arp,ip=192.0.2.7 replies=3,requests=12 1793610010000000']);
  });

  it('a server answering 503 is retried by the pump until it takes the batch; nothing is sent twice once taken', async () => {
    rec.received.length = 0;
    rec.answer = { status: 503, body: JSON.stringify({ code: 'unavailable', message: 'down for the test' }) };
    const t = new Influx2Transport({ url: `http://127.0.0.1:${rec.port}`, org: 'noc', bucket: 'b', token: 'tk' }, 10);
    const pump = new PointPump({ transport: t, capacity: 10, batchSize: 10, retryMs: 5, maxRetryMs: 10 });
    pump.push(points);
    for (let i = 0; i < 500 && rec.received.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    rec.answer = { status: 204 };
    await pump.idle();
    expect(rec.received.length).toBeGreaterThanOrEqual(4);
    expect(new Set(rec.received.map((r) => r.body)).size).toBe(1);
    expect([pump.written, pump.dropped, pump.retries]).toEqual([2, 0, rec.received.length - 1]);
    await t.close();
  });

  it('a token_env that is not set is one line naming the variable', () => {
    expect(() => new Influx2Transport({ url: 'http://127.0.0.1:1', org: 'o', bucket: 'b', token_env: 'NOPE_NOT_SET' }, 10, {}))
      .toThrow('metrics.influx2.token_env: the environment variable NOPE_NOT_SET is not set');
  });
});
