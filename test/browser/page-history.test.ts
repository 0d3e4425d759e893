/**
 * A page left open for weeks: it keeps no more resolved incidents than the daemon does (detector.incident_history,
 * told by /api/incidents' `history`), so its table stays what /api/incidents would give and no row is one whose
 * evidence the daemon has forgotten.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/capture/file-source.js';
import { defaultConfig } from '../../src/config/schema.js';
import { incidentJson, type IncidentJson } from '../../src/incidents/incident-json.js';
import { loadInventory } from '../../src/inventory/load.js';
import { replayFile } from '../../src/pipeline/replay.js';
import { Telemetry } from '../../src/telemetry/telemetry.js';
import { buildApp } from '../../src/web/app.js';
import { EventHub } from '../../src/web/event-hub.js';
import { launchChromium } from './chromium.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');

describe('the NOC page keeps the resolved incidents the daemon keeps', () => {
  let browser: Browser;
  let url: string;
  let base: IncidentJson;
  const hub = new EventHub({ history: 100, clientBufferBytes: 1 << 20, retryMs: 200, keepAliveMs: 60_000 });
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    const run = await replayFile(new FileSource(path.join(FIXTURES, 'captures', 'case1-alias-netmask.pcap')), defaultConfig(), loadInventory(path.join(FIXTURES, 'inventory.yaml')), [], new Telemetry());
    base = incidentJson(run.detection!.book.known()[0]);
    app = buildApp({ incidents: { list: () => [], evidenceFrames: () => [], history: 2 }, telemetry: new Telemetry(), events: hub });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('/api/incidents says how many; past it the page forgets the oldest resolved, never an open one', async () => {
    expect((await (await fetch(`${url}/api/incidents`)).json() as { history: number }).history).toBe(2);
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('live');
    const rows = page.locator('#incidents tr.incident');
    hub.publish('incident', { change: 'opened', incident: { ...base, id: 'open-1', resolved_at: null } });
    for (let k = 1; k <= 4; k++) {
      const inc = { ...base, id: `resolved-${k}`, resolved_at: `2026-11-02T10:0${k}:00.000000Z` };
      hub.publish('incident', { change: 'opened', incident: { ...inc, resolved_at: null } });
      hub.publish('incident', { change: 'resolved', incident: inc });
    }
    await expect.poll(() => rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id))).toEqual(['open-1', 'resolved-4', 'resolved-3']);
    expect(await page.locator('#incident-count').innerText()).toBe('1 open, 2 resolved');
    await page.close();
  });
});
