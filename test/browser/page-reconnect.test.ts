/**
 * The page when the stream's answer is not a stream: a reverse proxy's 502 while the daemon restarts (EventSource
 * gives up for good on any answer but a 200 stream), against a wrong token (a 401: the page stops and says so).
 * The daemon's app behind a node:http server that answers 502 while told the daemon is away.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/capture/file-source.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { Incident } from '../../src/incidents/incident.js';
import { incidentJson } from '../../src/incidents/incident-json.js';
import { loadInventory } from '../../src/inventory/load.js';
import { replayFile } from '../../src/pipeline/replay.js';
import { Telemetry } from '../../src/telemetry/telemetry.js';
import { buildApp } from '../../src/web/app.js';
import { EventHub } from '../../src/web/event-hub.js';
import { launchChromium } from './chromium.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');
const TOKEN = 'reconnect-test-token-0123456789';

describe('the NOC page behind a proxy that answers 502 while the daemon is away', () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let down = false;
  const sockets = new Set<Socket>();
  let shown: Incident[] = [];
  const hub = new EventHub({ history: 100, clientBufferBytes: 1 << 20, retryMs: 200, keepAliveMs: 60_000 });
  let replayed: Incident[] = [];
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    const run = await replayFile(new FileSource(path.join(FIXTURES, 'captures', 'case1-alias-netmask.pcap')), defaultConfig(), loadInventory(path.join(FIXTURES, 'inventory.yaml')), [], new Telemetry());
    replayed = [...run.detection!.book.known()];
    app = buildApp({ incidents: { list: () => shown, evidenceFrames: () => [] }, telemetry: new Telemetry(), events: hub, token: TOKEN });
    await app.ready();
    server = createServer((req, res) => {
      if (down) res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>');
      else app.routing(req, res);
    });
    server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    hub.close();
    server?.closeAllConnections();
    await new Promise<void>((r) => (server === undefined ? r() : server.close(() => r())));
    await app?.close();
  });

  it('keeps trying while the proxy answers 502, and shows what opened meanwhile once the daemon is back', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/#token=${TOKEN}`);
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('live');
    expect(await page.locator('#incidents tr.incident').count()).toBe(0);

    // the daemon goes: its stream is cut, and the proxy answers 502 in its place
    down = true;
    for (const s of sockets) s.destroy();
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('reconnecting');
    await page.waitForTimeout(1500);
    expect(await page.locator('#conn').getAttribute('data-state')).toBe('reconnecting');

    // back, with an incident opened while the page was away
    shown = replayed;
    down = false;
    await expect.poll(() => page.locator('#conn').getAttribute('data-state'), { timeout: 15_000 }).toBe('live');
    await expect.poll(() => page.locator('#incidents tr.incident').count()).toBe(replayed.length);
    // and it is live again: a change published now shows
    const another = { ...incidentJson(replayed[0]), id: 'another-one', resolved_at: null };
    hub.publish('incident', { change: 'opened', incident: another });
    await expect.poll(() => page.locator('#incidents tr.incident[data-id="another-one"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a wrong token is still final: the page says unauthorized and stops asking', async () => {
    down = false;
    const page = await browser.newPage();
    let asked = 0;
    page.on('request', (r) => { if (r.url().includes('/api/events')) asked++; });
    await page.goto(`${url}/#token=not-the-token-at-all`);
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('unauthorized');
    const n = asked;
    await page.waitForTimeout(2500);
    expect(asked).toBe(n);
    await page.close();
  });
});
