/**
 * The NOC page shows a QinQ incident's VLAN as outer.inner (1000.100), so that two networks with the same inner
 * tag are not read as one; a single-tagged one shows its id. Incidents: case1-alias-netmask.pcap's, published as if
 * seen single-tagged and under an S-tag.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/capture/file-source.js';
import { defaultConfig } from '../../src/config/schema.js';
import { incidentJson, type IncidentJson } from '../../src/incidents/incident-json.js';
import { loadInventory } from '../../src/inventory/load.js';
import { replayFile } from '../../src/pipeline/replay.js';
import { type HubPage, hubPage } from './hub-page.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');

describe('the NOC page and QinQ VLANs', () => {
  let served: HubPage;
  let incident: IncidentJson;

  beforeAll(async () => {
    const run = await replayFile(new FileSource(path.join(FIXTURES, 'captures', 'case1-alias-netmask.pcap')), defaultConfig(), loadInventory(path.join(FIXTURES, 'inventory.yaml')));
    [incident] = run.detection!.book.known().map(incidentJson);
    served = await hubPage(100);
  });
  afterAll(() => served?.close());

  it('a row says 1000.100 for QinQ, 100 for a single tag, untagged for none', async () => {
    const page = await served.browser.newPage();
    await page.goto(`${served.url}/`);
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('live');
    const rows: [string, Partial<IncidentJson>][] = [['a', { vlan: 100, outer_vlan: 1000 }], ['b', { vlan: 100 }], ['c', { vlan: null }]];
    for (const [id, vlan] of rows) served.hub.publish('incident', { change: 'opened', incident: { ...incident, id, resolved_at: null, ...vlan } });
    const vlanOf = (id: string) => page.locator(`#incidents tr.incident[data-id="${id}"] td`).nth(5);
    await expect.poll(() => vlanOf('c').innerText()).toBe('untagged');
    expect([await vlanOf('a').innerText(), await vlanOf('b').innerText()]).toEqual(['1000.100', '100']);
    await page.close();
  });
});
