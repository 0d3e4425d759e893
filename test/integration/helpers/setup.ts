import path from 'node:path';
import { FileSource } from '../../../src/capture/file-source.js';
import { type Config, configSchema } from '../../../src/config/schema.js';
import type { IncidentSink } from '../../../src/incidents/incident.js';
import type { InventoryIndex } from '../../../src/inventory/inventory-index.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { replayFile } from '../../../src/pipeline/replay.js';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const INVENTORY = path.join(ROOT, 'fixtures', 'inventory.yaml');
export const capturePath = (name: string): string => path.join(ROOT, 'fixtures', 'captures', name);

let inventory: InventoryIndex | null = null;
export function fixtureInventory(): InventoryIndex {
  inventory ??= loadInventory(INVENTORY);
  return inventory;
}

/** The provider's identity in the tests: the worker refuses to send under the built-in example one. */
export const TEST_EMAIL = { from: 'Test Provider NOC <noc@provider.example>', provider: 'Test Provider' };

let n = 0;
/**
 * A configuration for one test: its own queue (so tests never see each other's jobs), retries shortened to fit a test,
 * and one email per incident (email.group_seconds 0): the tests that feed many IPs of one server at once test the
 * queue, not the grouping, which email-groups.test.ts and case-emails.test.ts turn on (`email: { group_seconds: 300 }`).
 */
export function testConfig(redisUrl: string, smtpPort: number, over: { queue?: object; smtp?: object; email?: object } = {}): Config {
  return configSchema.parse({
    queue: { redis_url: redisUrl, name: `test-${process.pid}-${++n}`, backoff_seconds: 0.2, stalled_seconds: 1, flush_seconds: 2, ...over.queue },
    smtp: { host: '127.0.0.1', port: smtpPort, starttls: 'never', timeout_seconds: 10, ...over.smtp },
    email: { ...TEST_EMAIL, group_seconds: 0, ...over.email },
  });
}

/** Replays a fixture capture through the detector into these sinks (not closed). */
export async function replayInto(capture: string, config: Config, sinks: IncidentSink[]): Promise<void> {
  await replayFile(new FileSource(capturePath(capture)), config, fixtureInventory(), sinks);
}
