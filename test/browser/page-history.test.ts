/**
 * A page left open for weeks: it keeps no more resolved incidents than the daemon does (detector.incident_history,
 * told by /api/incidents' `history`), so its table stays what /api/incidents would give and no row is one whose
 * evidence the daemon has forgotten.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/capture/file-source.js';
import { defaultConfig } from '../../src/config/schema.js';
import { incidentJson, type IncidentJson } from '../../src/incidents/incident-json.js';
import { loadInventory } from '../../src/inventory/load.js';
import { replayFile } from '../../src/pipeline/replay.js';
import { Telemetry } from '../../src/telemetry/telemetry.js';
import { type HubPage, hubPage } from './hub-page.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');

describe('the NOC page keeps the resolved incidents the daemon keeps', () => {
  let served: HubPage;
  let base: IncidentJson;

  beforeAll(async () => {
    const run = await replayFile(new FileSource(path.join(FIXTURES, 'captures', 'case1-alias-netmask.pcap')), defaultConfig(), loadInventory(path.join(FIXTURES, 'inventory.yaml')), [], new Telemetry());
    base = incidentJson(run.detection!.book.known()[0]);
    served = await hubPage(2);
  });
  afterAll(() => served?.close());

  it('/api/incidents says how many; past it the page forgets the oldest resolved, never an open one', async () => {
    expect((await (await fetch(`${served.url}/api/incidents`)).json() as { history: number }).history).toBe(2);
    const page = await served.browser.newPage();
    await page.goto(`${served.url}/`);
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('live');
    const rows = page.locator('#incidents tr.incident');
    served.hub.publish('incident', { change: 'opened', incident: { ...base, id: 'open-1', resolved_at: null } });
    for (let k = 1; k <= 4; k++) {
      const inc = { ...base, id: `resolved-${k}`, resolved_at: `2026-11-02T10:0${k}:00.000000Z` };
      served.hub.publish('incident', { change: 'opened', incident: { ...inc, resolved_at: null } });
      served.hub.publish('incident', { change: 'resolved', incident: inc });
    }
    await expect.poll(() => rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id))).toEqual(['open-1', 'resolved-4', 'resolved-3']);
    expect(await page.locator('#incident-count').innerText()).toBe('1 open, 2 resolved');
    await page.close();
  });
});
