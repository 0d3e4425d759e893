/**
 * An incident the persistence rule opened (fixtures/captures/case1a-block-netmask.pcap: the block's broadcast
 * 192.0.2.15 asks once a minute, 1 frame in its window) says on the page why it is one, beside its counts; the
 * member 192.0.2.5, past the window's threshold, does not.
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

describe('the NOC page and an incident opened by persistence', () => {
  let browser: Browser;
  let url: string;
  let incidents: IncidentJson[];
  const hub = new EventHub({ history: 100, clientBufferBytes: 1 << 20, retryMs: 200, keepAliveMs: 60_000 });
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    const run = await replayFile(new FileSource(path.join(FIXTURES, 'captures', 'case1a-block-netmask.pcap')), defaultConfig(), loadInventory(path.join(FIXTURES, 'inventory.yaml')), [], new Telemetry());
    incidents = run.detection!.book.known().map(incidentJson);
    app = buildApp({ incidents: { list: () => [], evidenceFrames: () => [], history: 100 }, telemetry: new Telemetry(), events: hub });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('its row says it came back in 5 periods of 60 s within 30 min; the other\'s counts stand alone', async () => {
    expect(incidents.map((i) => [i.ip, i.opened_by_persistence !== undefined])).toEqual([['192.0.2.5', false], ['192.0.2.15', true]]);
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('live');
    for (const inc of incidents) hub.publish('incident', { change: 'opened', incident: { ...inc, resolved_at: null } });
    const counts = (ip: string) => page.locator(`#incidents tr.incident:has(td:text-is("${ip}")) td.counts`);
    await expect.poll(() => counts('192.0.2.15').innerText()).toBe('unusable_address 1, unresolved_arp 1 (persistent: 5 periods of 60 s within 30 min)');
    expect(await counts('192.0.2.5').innerText()).toBe('off_link_target 519, unresolved_arp 519');
    await page.close();
  });
});
