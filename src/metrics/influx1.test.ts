import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingHttpServer, SAMPLE_POINTS } from '../../test/helpers/recording-http-server.js';
import { Influx1Transport } from './influx1.js';
import { WriteFailure } from './point-transport.js';
import { freePort } from '../../test/integration/helpers/ports.js';

let rec: RecordingHttpServer;
beforeAll(async () => { rec = await RecordingHttpServer.start(); });
afterAll(() => rec.close());

const points = SAMPLE_POINTS;

async function failureOf(p: Promise<void>): Promise<WriteFailure> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(WriteFailure);
  return e as WriteFailure;
}

describe('InfluxDB 1.x writes, checked against a local HTTP server that records what it receives', () => {
  it('POSTs /write with the database, precision u, the URL\'s credentials, the points as line protocol; two writes, one connection', async () => {
    rec.received.length = 0;
    rec.answer = { status: 204 };
    const t = new Influx1Transport({ url: `http://noc:pa%20ss@127.0.0.1:${rec.port}/arp%20metrics` });
    await t.write(points);
    await t.write(points.slice(1));
    await t.close();
    expect(rec.received).toHaveLength(2);
    const r = rec.received[0];
    expect(r.method).toBe('POST');
    const url = new URL(r.url, 'http://x');
    expect(url.pathname).toBe('/write');
    expect(Object.fromEntries(url.searchParams)).toEqual({ db: 'arp metrics', precision: 'u' });
    expect(r.auth).toBe(`Basic ${Buffer.from('noc:pa ss').toString('base64')}`);
    expect(r.type).toMatch(/^text\/plain/);
    expect(r.body.split('\n')).toEqual([
      'arp_packets_total,op=request,router=r\\ 1 value=674 1793610010000000',
      'incidents_open,case=alias-netmask value=1.5 1793610894934788',
    ]);
    expect(rec.received[1].body).toBe('incidents_open,case=alias-netmask value=1.5 1793610894934788');
    // kept alive between writes: no new connection per batch
    expect(rec.received[1].clientPort).toBe(r.clientPort);
  });

  it('without credentials: no Authorization header', async () => {
    rec.received.length = 0;
    rec.answer = { status: 204 };
    const t = new Influx1Transport({ url: `http://127.0.0.1:${rec.port}/db` });
    await t.write(points);
    await t.close();
    expect(rec.received[0].auth).toBeUndefined();
  });

  it('a refused batch (400) is a permanent failure with influxd\'s own sentence; a 503 is one to retry', async () => {
    const t = new Influx1Transport({ url: `http://127.0.0.1:${rec.port}/db` });
    rec.answer = { status: 400, body: JSON.stringify({ error: 'partial write: field type conflict' }) };
    const refused = await failureOf(t.write(points));
    expect([refused.message, refused.permanent]).toEqual(['HTTP 400: partial write: field type conflict', true]);
    rec.answer = { status: 503, body: 'overloaded\n' };
    const busy = await failureOf(t.write(points));
    expect([busy.message, busy.permanent]).toEqual(['HTTP 503: overloaded', false]);
    rec.answer = { status: 204 };
    await t.close();
  });

  it('a server that is not there: "connection refused", to retry', async () => {
    const t = new Influx1Transport({ url: `http://127.0.0.1:${await freePort()}/db` });
    const f = await failureOf(t.write(points));
    expect([f.message, f.permanent]).toEqual(['connection refused', false]);
    await t.close();
  });
});
