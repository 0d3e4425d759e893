import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { arpRequest } from '../../fixtures/lib/frames.js';
import { T0, TEST_INVENTORY } from '../../test/helpers/arp.js';
import { FakeLiveSource } from '../../test/helpers/fake-live-source.js';
import { configSchema } from '../config/schema.js';
import { loadInventoryCached } from '../inventory/cache.js';
import { parseInventory } from '../inventory/load.js';
import { DaemonEvents } from '../telemetry/events.js';
import { memoryLogger } from '../telemetry/logger.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { CaptureDaemon } from './capture-daemon.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

/** A daemon whose SIGHUP reads real files, in its worker thread (no loadInventory injected). */
function daemon(config = '', inventoryCache?: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-inventory-reload-'));
  dirs.push(dir);
  const inventoryFile = path.join(dir, 'inventory.yaml');
  const configFile = path.join(dir, 'config.yaml');
  fs.writeFileSync(inventoryFile, TEST_INVENTORY);
  fs.writeFileSync(configFile, config);
  const source = new FakeLiveSource();
  const telemetry = new Telemetry();
  const log = memoryLogger();
  const d = new CaptureDaemon({
    interface: 'span0', config: configSchema.parse({}), inventory: parseInventory(inventoryFile, TEST_INVENTORY), inventoryFile, configFile,
    source, sinks: [], telemetry, events: new DaemonEvents(telemetry, log), timers: false, ...(inventoryCache === undefined ? {} : { inventoryCache }),
  });
  const msgs = (): string[] => log.lines.map((l) => `${l.level} ${l.msg}`);
  return { d, source, log, msgs, inventoryFile, configFile };
}

describe('CaptureDaemon.reload in a worker thread', () => {
  it('takes a good file, refuses a bad one with its line, and a file that stopped parsing', async () => {
    const { d, msgs, inventoryFile } = daemon();
    const run = d.start();
    const first = await d.reload();
    expect(msgs().at(-1)).toBe(`info reloaded ${inventoryFile}: customers +0 -0, servers +0 -0, IPs +0 -0`);
    expect(first).toBe(true);
    expect(msgs().at(-1)).toBe(`info reloaded ${inventoryFile}: customers +0 -0, servers +0 -0, IPs +0 -0`);
    fs.writeFileSync(inventoryFile, TEST_INVENTORY.replace('0C-C4-7A-00-00-0B', 'not-a-mac'));
    expect(await d.reload()).toBe(false);
    expect(msgs().at(-1)).toBe(`warn kept the last good inventory: ${inventoryFile}:9: servers[1].mac: not a MAC address: "not-a-mac" (six hex bytes, ":" or "-" separated)`);
    // a change is compared with the inventory in use
    fs.writeFileSync(inventoryFile, TEST_INVENTORY.replace('  - { ip: 198.51.100.9, server: srv-b }\n', ''));
    expect(await d.reload()).toBe(true);
    expect(msgs().at(-1)).toBe(`info reloaded ${inventoryFile}: customers +0 -0, servers +0 -0, IPs +0 -1`);
    d.stop();
    await run;
  });

  it('with inventory.cache, a good reload writes the cache of the file read, a bad one leaves it, one that cannot write says so', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-inventory-reload-cache-'));
    dirs.push(cacheDir);
    const cache = path.join(cacheDir, 'inventory.cache');
    const { d, msgs, inventoryFile } = daemon('', cache);
    const run = d.start();
    const edited = TEST_INVENTORY.replace('  - { ip: 198.51.100.9, server: srv-b }\n', '');
    fs.writeFileSync(inventoryFile, edited);
    expect(await d.reload()).toBe(true);
    const fromCache = loadInventoryCached(inventoryFile, cache);
    expect(fromCache.fromCache).toBe(true);
    expect(fromCache.inventory.failovers.size).toBe(parseInventory('x', edited).failovers.size);
    const written = fs.readFileSync(cache);
    fs.writeFileSync(inventoryFile, TEST_INVENTORY.replace('0C-C4-7A-00-00-0B', 'not-a-mac'));
    expect(await d.reload()).toBe(false);
    expect(fs.readFileSync(cache).equals(written)).toBe(true);
    // a directory where the cache goes: the reload is taken all the same, and the log says why the cache is not
    fs.rmSync(cache);
    fs.mkdirSync(cache);
    fs.writeFileSync(inventoryFile, TEST_INVENTORY);
    expect(await d.reload()).toBe(true);
    expect(msgs().some((m) => m.startsWith(`warn inventory cache ${cache}: not written: `))).toBe(true);
    expect(msgs().at(-1)).toBe(`info reloaded ${inventoryFile}: customers +0 -0, servers +0 -0, IPs +1 -0`);
    d.stop();
    await run;
  });

  it('reloads asked while one runs are served by one more after it', async () => {
    const { d, msgs } = daemon();
    const run = d.start();
    const asked = [d.reload(), d.reload(), d.reload(), d.reload()];
    expect(await Promise.all(asked)).toEqual([true, true, true, true]);
    expect(msgs().filter((m) => m.includes('reloaded'))).toHaveLength(2);
    d.stop();
    await run;
  });

  it('takes new thresholds live (an open window reaches the new one), names what needs a restart, refuses a bad configuration', async () => {
    const { d, source, msgs, configFile } = daemon();
    const run = d.start();
    const sender = (i: number): { bytes: Uint8Array; tsMicros: number } => ({
      bytes: arpRequest({ sha: '0c:c4:7a:00:00:0a', spa: '198.51.100.7', tpa: `198.51.100.${20 + (i % 3)}` }), tsMicros: T0 + i * 1e6,
    });
    // eight requests a second: five unanswered so far (3 s reply timeout), under the default threshold of 10
    source.deliver([0, 1, 2, 3, 4, 5, 6, 7].map(sender));
    const book = d.detection!.book;
    expect(book.sizes.open).toBe(0);
    fs.writeFileSync(configFile, 'detector:\n  thresholds:\n    off_link_target: 6\n  window_seconds: 120\n');
    await d.reload();
    expect(msgs()).toContain(`info configuration ${configFile} reloaded: detector.thresholds.off_link_target ${configSchema.parse({}).detector.thresholds.off_link_target} -> 6`);
    expect(msgs()).toContain(`warn configuration ${configFile}: detector.window_seconds changed, which only a restart takes (the running daemon keeps the old values)`);
    // the window kept its five: two more seconds reach the new threshold (a window begun afresh would count two)
    source.deliver([8, 9].map(sender));
    expect(book.known().map((i) => i.caseId)).toEqual(['alias-netmask']);
    fs.writeFileSync(configFile, 'detector:\n  thresholds:\n    off_link_target: -1\n');
    await d.reload();
    expect(msgs().at(-2)).toMatch(new RegExp(`^warn kept the running configuration: ${configFile.replace(/[.]/g, '\\.')}:3: detector\\.thresholds\\.off_link_target: `));
    d.stop();
    await run;
  });

  it('an emptied configuration (cut short, being written) is refused in one line: the thresholds it would put back stay as they run', async () => {
    const { d, msgs, configFile } = daemon('detector:\n  thresholds:\n    off_link_target: 6\n');
    const run = d.start();
    await d.reload();
    expect(msgs()).toContain(`info configuration ${configFile} reloaded: detector.thresholds.off_link_target 10 -> 6`);
    for (const text of ['', '# every key commented out\n', '---\n']) {
      fs.writeFileSync(configFile, text);
      await d.reload();
      expect(msgs().at(-2)).toBe(`warn kept the running configuration: ${configFile}: the configuration is empty (nothing but comments, or nothing at all): refused, it would put every key back to its default`);
    }
    expect(msgs().filter((m) => m.includes('reloaded: detector'))).toHaveLength(1);
    expect(msgs().some((m) => m.includes('only a restart takes'))).toBe(false);
    d.stop();
    await run;
  });
});
