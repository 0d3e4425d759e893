/**
 * An incident the persistence rule opened (fixtures/captures/case1a-block-netmask.pcap: the block's broadcast
 * 192.0.2.15 asks once a minute, 1 frame in its window) says on the page why it is one, beside its counts; the
 * member 192.0.2.5, past the window's threshold, does not.
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

describe('the NOC page and an incident opened by persistence', () => {
  let served: HubPage;
  let incidents: IncidentJson[];

  beforeAll(async () => {
    const run = await replayFile(new FileSource(path.join(FIXTURES, 'captures', 'case1a-block-netmask.pcap')), defaultConfig(), loadInventory(path.join(FIXTURES, 'inventory.yaml')), [], new Telemetry());
    incidents = run.detection!.book.known().map(incidentJson);
    served = await hubPage(100);
  });
  afterAll(() => served?.close());

  it('its row says it came back in 5 periods of 60 s within 30 min; the other\'s counts stand alone', async () => {
    expect(incidents.map((i) => [i.ip, i.opened_by_persistence !== undefined])).toEqual([['192.0.2.5', false], ['192.0.2.15', true]]);
    const page = await served.browser.newPage();
    await page.goto(`${served.url}/`);
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('live');
    for (const inc of incidents) served.hub.publish('incident', { change: 'opened', incident: { ...inc, resolved_at: null } });
    const counts = (ip: string) => page.locator(`#incidents tr.incident:has(td:text-is("${ip}")) td.counts`);
    await expect.poll(() => counts('192.0.2.15').innerText()).toBe('unusable_address 1, unresolved_arp 1 (persistent: 5 periods of 60 s within 30 min)');
    expect(await counts('192.0.2.5').innerText()).toBe('off_link_target 519, unresolved_arp 519');
    await page.close();
  });
});
