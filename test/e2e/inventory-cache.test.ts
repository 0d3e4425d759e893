/**
 * `arpwarden capture` with the compiled inventory cache (inventory.cache): the first start reads the file and
 * writes the cache, the next one on the same file is built from it and says so, a changed file is read again.
 * The cache's contents are src/inventory/cache.test.ts's; this is the daemon's wiring. Needs root (netns.ts); about 10 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArpwardenCapture } from './arpwarden-capture.js';
import { assertNetnsUsable, netnsAvailability, NetnsLab, removeStaleNamespaces, type Netns } from './netns.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);

describe.skipIf(availability.skip)('capture with the compiled inventory cache', () => {
  const lab = new NetnsLab('invcache');
  let ns: Netns;
  let dir: string;

  beforeAll(async () => {
    await assertNetnsUsable();
    await removeStaleNamespaces();
    ns = await lab.namespace('cap');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invload-e2e-'));
  });

  afterAll(async () => {
    await lab.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the cache after a cold start, starts from it on the same file, and reads a changed file again', async () => {
    const inventory = path.join(dir, 'inventory.yaml');
    const cache = path.join(dir, 'inventory.cache');
    const config = path.join(dir, 'config.yaml');
    fs.copyFileSync('fixtures/inventory.yaml', inventory);
    fs.writeFileSync(config, `inventory:\n  cache: ${cache}\n`);
    const run = async (): Promise<string> => {
      const c = await ArpwardenCapture.start(ns, 'lo', { inventory, config, seconds: 30 });
      const r = await c.stop();
      expect(r.exit.code).toBe(0);
      return r.stderr;
    };
    const fromCache = /inventory .*inventory\.yaml: from its compiled cache .*inventory\.cache/;

    const cold = await run();
    expect(cold).not.toMatch(fromCache);
    expect(fs.statSync(cache).mode & 0o777).toBe(0o600);
    expect(await run()).toMatch(fromCache);

    fs.appendFileSync(inventory, '# edited\n');
    const written = fs.statSync(cache).mtimeMs;
    expect(await run()).not.toMatch(fromCache);
    expect(fs.statSync(cache).mtimeMs).toBeGreaterThan(written);
    expect(await run()).toMatch(fromCache);
  });
});
