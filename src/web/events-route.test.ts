import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleValue, Telemetry } from '../telemetry/telemetry.js';
import { buildApp } from './app.js';
import type { EventHub } from './event-hub.js';
import { PageFeed } from './page-feed.js';

interface Received { id: string | undefined; event: string; data: string }

/** A client of the stream over a real socket: its parsed events as they come, and its request's end. */
interface StreamClient { events: Received[]; retry: number | null; req: http.ClientRequest; res: http.IncomingMessage; next(n: number): Promise<Received[]> }

function connect(url: string, headers: Record<string, string> = {}): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      const c: StreamClient = { events: [], retry: null, req, res, next: (n) => waitFor(() => c.events.length >= n).then(() => c.events.slice(0, n)) };
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        let i: number;
        while ((i = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, i);
          text = text.slice(i + 2);
          const f = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const j = line.indexOf(': ');
            f.set(j < 0 ? line.replace(/:$/, '') : line.slice(0, j), j < 0 ? '' : line.slice(j + 2));
          }
          if (f.has('retry')) c.retry = Number(f.get('retry'));
          if (f.has('event')) c.events.push({ id: f.get('id'), event: f.get('event')!, data: f.get('data') ?? '' });
        }
      });
      resolve(c);
    });
    req.on('error', reject);
  });
}

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const TOKEN = '0123456789abcdef0123';
let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

/** A listening app with a page feed of `history` events. */
async function serve(opts: { history?: number; token?: string; clientBufferBytes?: number } = {}): Promise<{ url: string; hub: EventHub; telemetry: Telemetry; feed: PageFeed }> {
  const telemetry = new Telemetry();
  const feed = new PageFeed(telemetry, { history: opts.history ?? 100, clientBufferBytes: opts.clientBufferBytes ?? 1 << 20, talkers: () => [], run: 'testrun' });
  const app = buildApp({ incidents: { list: () => [], evidenceFrames: () => [] }, telemetry, token: opts.token, events: feed.hub });
  await app.listen({ host: '127.0.0.1', port: 0 });
  close = () => app.close();
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, hub: feed.hub, telemetry, feed };
}

const incident = (n: number): { change: string; incident: { id: string } } => ({ change: 'opened', incident: { id: `inc-${n}` } });

describe('GET /api/events (a real listen)', () => {
  it('a fresh page gets retry, the stats history and a reset (fetch /api/incidents), then live events with increasing ids', async () => {
    const { url, hub } = await serve();
    hub.publish('stats', { n: 1 });
    hub.publish('incident', incident(1));
    hub.publish('stats', { n: 2 });
    const c = await connect(`${url}/api/events`);
    expect(c.res.statusCode).toBe(200);
    expect(c.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const first = await c.next(3);
    expect(c.retry).toBe(2000);
    expect(first.map((e) => [e.id, e.event])).toEqual([['testrun-1', 'stats'], ['testrun-3', 'stats'], ['testrun-3', 'reset']]);
    expect(JSON.parse(first[2].data)).toEqual({ reason: 'new', last_event_id: null });
    hub.publish('incident', incident(2));
    const [, , , live] = await c.next(4);
    expect([live.id, live.event, JSON.parse(live.data)]).toEqual(['testrun-4', 'incident', incident(2)]);
    c.req.destroy();
  });

  it('Last-Event-ID in the ring: every event after it, in order, and nothing before; counted as replayed', async () => {
    const { url, hub, telemetry } = await serve();
    for (let i = 1; i <= 5; i++) hub.publish('incident', incident(i));
    const c = await connect(`${url}/api/events`, { 'Last-Event-ID': 'testrun-2' });
    const got = await c.next(3);
    expect(got.map((e) => e.id)).toEqual(['testrun-3', 'testrun-4', 'testrun-5']);
    expect(got.map((e) => JSON.parse(e.data).incident.id)).toEqual(['inc-3', 'inc-4', 'inc-5']);
    hub.publish('incident', incident(6));
    expect((await c.next(4))[3].id).toBe('testrun-6');
    expect(c.events.some((e) => e.event === 'reset')).toBe(false);
    expect(sampleValue(telemetry.snapshot(), 'web_sse_reconnects_total', { outcome: 'replayed' })).toBe(1);
    c.req.destroy();
  });

  it('Last-Event-ID older than the ring, or of another run: a reset saying so', async () => {
    const { url, hub, telemetry } = await serve({ history: 10 });
    for (let i = 1; i <= 25; i++) hub.publish('incident', incident(i));
    for (const id of ['testrun-3', 'otherrun-24', 'garbage']) {
      const c = await connect(`${url}/api/events`, { 'Last-Event-ID': id });
      const [reset] = await c.next(1);
      expect([reset.event, reset.id, JSON.parse(reset.data)]).toEqual(['reset', 'testrun-25', { reason: 'missed', last_event_id: id }]);
      c.req.destroy();
    }
    expect(sampleValue(telemetry.snapshot(), 'web_sse_reconnects_total', { outcome: 'reset' })).toBe(3);
  });

  it('with web.token: the stream takes ?token= (EventSource cannot send a header) or the header; the page\'s files need none', async () => {
    const { url } = await serve({ token: TOKEN });
    const get = (path: string, headers: Record<string, string> = {}): Promise<number> => new Promise((resolve, reject) => {
      http.get(`${url}${path}`, { headers }, (res) => { resolve(res.statusCode!); res.destroy(); }).on('error', reject);
    });
    expect(await get('/api/events')).toBe(401);
    expect(await get('/api/events?token=wrong-token-wrong-token')).toBe(401);
    expect(await get(`/api/events?token=${TOKEN}`)).toBe(200);
    expect(await get('/api/events', { Authorization: `Bearer ${TOKEN}` })).toBe(200);
    // only this route takes the query: the data routes want the header
    expect(await get(`/api/incidents?token=${TOKEN}`)).toBe(401);
    for (const p of ['/', '/page/app.js', '/page/app.css']) expect(await get(p), p).toBe(200);
  });

  it('a page that does not read is cut off past its buffer, counted; publishing never waits for it', async () => {
    const { url, hub, telemetry } = await serve({ clientBufferBytes: 64 * 1024 });
    const c = await connect(`${url}/api/events`);
    await c.next(1);
    c.res.pause();
    c.res.socket.pause();
    const big = 'x'.repeat(4096);
    const t0 = performance.now();
    for (let i = 0; i < 2000 && hub.counts.cut === 0; i++) hub.publish('stats', { big, i });
    expect(performance.now() - t0).toBeLessThan(1000);
    await waitFor(() => hub.counts.cut === 1);
    const snap = telemetry.snapshot();
    expect(sampleValue(snap, 'web_sse_clients_cut_total')).toBe(1);
    expect(sampleValue(snap, 'web_sse_clients')).toBe(0);
  });

  it('close() ends the open streams instead of waiting for the browser to leave', async () => {
    const { url } = await serve();
    const c = await connect(`${url}/api/events`);
    await c.next(1);
    const ended = new Promise<void>((resolve) => c.res.on('end', () => resolve()));
    await close!();
    close = null;
    await ended;
  });

  it('a heartbeat publishes the telemetry view as stats: rates over the interval, not totals', async () => {
    const telemetry = new Telemetry();
    let clock = 1_000_000;
    let frames = 0;
    telemetry.describe('arp_vlan_frames_total', 'counter', 'by VLAN');
    telemetry.describe('frames_total', 'counter', 'frames');
    telemetry.source('t', (out) => { out.counter('arp_vlan_frames_total', frames, { vlan: '100' }); out.counter('frames_total', frames); });
    const feed = new PageFeed(telemetry, { history: 10, clientBufferBytes: 1 << 20, talkers: () => [{ ip: 0xc0000201, mac: 0x020000000001, macs: 1, frames: 9 }], clockMs: () => clock, run: 'r' });
    frames = 100;
    feed.beat();
    expect(feed.hub.lastId).toBeNull();
    frames = 150;
    clock += 2000;
    feed.beat();
    expect(feed.hub.lastId).toBe('r-1');
  });
});
