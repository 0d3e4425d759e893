import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordedRequest, RecordingHttpServer, SAMPLE_POINTS } from '../../test/helpers/recording-http-server.js';
import { Influx1Transport } from './influx1.js';
import { WriteFailure } from './point-transport.js';
import { freePort } from '../../test/integration/helpers/ports.js';

let rec: RecordingHttpServer;
beforeAll(async () => { rec = await RecordingHttpServer.start(); });
afterAll(() => rec.close());

const points = SAMPLE_POINTS;

/** `answer` to the writes; the database check before the first (`/query`: CREATE DATABASE) taken, as influxd takes it */
function writesAnswered(answer: { status: number; body?: string }): (r: RecordedRequest) => { status: number; body?: string } {
  return (r) => (r.url.startsWith('/query') ? { status: 200, body: JSON.stringify({ results: [{ statement_id: 0 }] }) } : answer);
}
const writesOf = (): RecordedRequest[] => rec.received.filter((r) => r.url.startsWith('/write'));

async function failureOf(p: Promise<void>): Promise<WriteFailure> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(WriteFailure);
  return e as WriteFailure;
}

describe('InfluxDB 1.x writes, checked against a local HTTP server that records what it receives', () => {
  it('POSTs /write with the database, precision u, the URL\'s credentials, the points as line protocol; two writes, one connection; the database check once, before the first', async () => {
    rec.received.length = 0;
    rec.answer = writesAnswered({ status: 204 });
    const t = new Influx1Transport({ url: `http://noc:pa%20ss@127.0.0.1:${rec.port}/arp%20metrics` });
    await t.write(points);
    await t.write(points.slice(1));
    await t.close();
    expect(rec.received.map((r) => new URL(r.url, 'http://x').pathname)).toEqual(['/query', '/write', '/write']);
    expect(new URL(rec.received[0].url, 'http://x').searchParams.get('q')).toBe('create database "arp metrics"');
    const written = writesOf();
    const r = written[0];
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
    expect(written[1].body).toBe('incidents_open,case=alias-netmask value=1.5 1793610894934788');
    // kept alive between writes, the check's connection too: no new connection per batch
    expect(written[1].clientPort).toBe(r.clientPort);
    expect(rec.received[0].clientPort).toBe(r.clientPort);
  });

  it('without credentials: no Authorization header', async () => {
    rec.received.length = 0;
    rec.answer = writesAnswered({ status: 204 });
    const t = new Influx1Transport({ url: `http://127.0.0.1:${rec.port}/db` });
    await t.write(points);
    await t.close();
    expect(rec.received).toHaveLength(2);
    expect(rec.received.map((r) => r.auth)).toEqual([undefined, undefined]);
  });

  it('a refused batch (400) is a permanent failure with influxd\'s own sentence; a 503 is one to retry', async () => {
    const t = new Influx1Transport({ url: `http://127.0.0.1:${rec.port}/db` });
    rec.answer = writesAnswered({ status: 400, body: JSON.stringify({ error: 'partial write: field type conflict' }) });
    const refused = await failureOf(t.write(points));
    expect([refused.message, refused.permanent]).toEqual(['HTTP 400: partial write: field type conflict', true]);
    rec.answer = writesAnswered({ status: 503, body: 'overloaded\n' });
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

describe('the InfluxDB 1.x database check, against a local HTTP server answering what influxd 1.6.7 cannot (2.x\'s 1.x API, proxies)', () => {
  /** the statement of a /query request (the library writes them in lower case), or the path */
  const statement = (url: string): string => new URL(url, 'http://x').searchParams.get('q') ?? new URL(url, 'http://x').pathname;
  const results = (r: object): { status: number; body: string } => ({ status: 200, body: JSON.stringify({ results: [{ statement_id: 0, ...r }] }) });
  const shows = (names: string[]): { status: number; body: string } => results({ series: [{ name: 'databases', columns: ['name'], values: names.map((n) => [n]) }] });
  const check = async (answer: (q: string) => { status: number; body?: string }, url = `http://127.0.0.1:${rec.port}/noc`): Promise<{ asked: string[]; error: WriteFailure | null }> => {
    rec.received.length = 0;
    rec.answer = (r) => answer(statement(r.url));
    const t = new Influx1Transport({ url });
    const error = await t.prepare().then(() => null, (e: unknown) => e as WriteFailure);
    await t.close();
    rec.answer = { status: 204 };
    return { asked: rec.received.map((r) => statement(r.url)), error };
  };

  it('CREATE DATABASE taken: one request', async () => {
    expect(await check(() => results({}))).toEqual({ asked: ['create database "noc"'], error: null });
  });

  it('CREATE refused inside a 200 (2.x: not implemented), the database listed: SHOW DATABASES finds it, no error', async () => {
    const r = await check((q) => (q.startsWith('create') ? results({ error: 'not implemented: CREATE DATABASE' }) : shows(['_internal', 'noc'])));
    expect(r).toEqual({ asked: ['create database "noc"', 'show databases'], error: null });
  });

  it('refused and not listed: one line with the server\'s reason, not the library\'s wording', async () => {
    const r = await check((q) => (q.startsWith('create') ? results({ error: 'not implemented: CREATE DATABASE' }) : shows(['other'])));
    expect(r.error?.message).toBe('the database noc does not exist and could not be created (InfluxDB refused it: not implemented: CREATE DATABASE): create it first');
  });

  it('a proxy\'s 403 page, no credentials: the status\'s words, one line', async () => {
    const page = '<html>\n<head><title>403 Forbidden</title></head>\n<body>denied</body>\n</html>\n';
    const r = await check(() => ({ status: 403, body: page }));
    expect(r.asked).toEqual(['create database "noc"', 'show databases']);
    expect(r.error?.message).toBe('HTTP 403: Forbidden');
  });

  it('a 403 on CREATE only (not an admin) and the database missing: names who may not create it', async () => {
    const r = await check((q) => (q.startsWith('create') ? { status: 403, body: JSON.stringify({ error: 'requires admin privilege' }) } : shows([])), `http://w:p@127.0.0.1:${rec.port}/noc`);
    expect(r.error?.message).toBe('the database noc does not exist and the user w may not create it (only an InfluxDB admin may): create it first');
  });

  it('wrong credentials (401): no second question', async () => {
    const r = await check(() => ({ status: 401, body: JSON.stringify({ error: 'authorization failed' }) }));
    expect(r).toEqual({ asked: ['create database "noc"'], error: expect.objectContaining({ message: 'HTTP 401: authorization failed' }) as unknown });
  });

  it('a 500, and a 200 that is not JSON: sentences of our own', async () => {
    expect((await check(() => ({ status: 500, body: 'boom' }))).error?.message).toBe('server error (Internal Server Error)');
    expect((await check(() => ({ status: 200, body: '<html>portal</html>' }))).error?.message).toBe('the answer is not InfluxDB\'s (not JSON: a proxy in the way?)');
  });
});
