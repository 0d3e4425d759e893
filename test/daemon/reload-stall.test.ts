import { monitorEventLoopDelay } from 'node:perf_hooks';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureInventory, inventoryParams } from '../../bench/detect-capture.js';
import { arpRequest } from '../../fixtures/lib/frames.js';
import { configSchema } from '../../src/config/schema.js';
import { ipToString } from '../../src/decode/addr.js';
import { CaptureDaemon } from '../../src/daemon/capture-daemon.js';
import { loadInventory } from '../../src/inventory/load.js';
import { DaemonEvents } from '../../src/telemetry/events.js';
import { memoryLogger } from '../../src/telemetry/logger.js';
import { Telemetry } from '../../src/telemetry/telemetry.js';
import { T0 } from '../helpers/arp.js';
import { FakeLiveSource } from '../helpers/fake-live-source.js';

/**
 * The longest a reload may hold the capture's thread (issue 12). What the loop waits for during the reload is
 * compared with what it waits for under the same flood without one, in the same run for as long: on a shared,
 * loaded machine the flood alone (and the scheduler) stalls it by more than that.
 */
const MAX_STALL_MS = 50;

describe('a SIGHUP reload of the bench\'s inventory (100,000 servers, 200,000 failover IPs) during a flood', () => {
  it(`never holds the capture's thread more than ${MAX_STALL_MS} ms`, async () => {
    const { file } = ensureInventory(inventoryParams());
    const inventory = loadInventory(file);
    const source = new FakeLiveSource();
    const telemetry = new Telemetry();
    const log = memoryLogger();
    const d = new CaptureDaemon({
      interface: 'span0', config: configSchema.parse({}), inventory, inventoryFile: file, source, sinks: [], telemetry,
      events: new DaemonEvents(telemetry, log), timers: false,
    });
    const run = d.start();
    // a flood of requests from the inventory's failover IPs (100.96.0.0/11), 200 frames a millisecond
    const frames = Array.from({ length: 4000 }, (_, i) => arpRequest({
      sha: '52:54:00:00:00:01', spa: ipToString((0x64600000 + 1 + (i % 250) + 256 * Math.floor(i / 250)) >>> 0), tpa: '100.96.255.254',
    }));
    let ts = T0;
    let n = 0;
    const flood = setInterval(() => {
      source.deliver(Array.from({ length: 200 }, () => ({ bytes: frames[n++ % frames.length], tsMicros: (ts += 5) })));
    }, 1);
    // a few rounds of the flood first: the detector's tables as a capture has them
    await new Promise((r) => setTimeout(r, 300));
    // best of three (a shared machine): each reload's longest stall, and the flood's alone for as long right after it
    const rounds: { withReload: number; without: number; ms: number; taken: boolean }[] = [];
    for (let round = 0; round < 3; round++) {
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const t0 = performance.now();
      const taken = await d.reload();
      const ms = performance.now() - t0;
      delay.disable();
      const alone = monitorEventLoopDelay({ resolution: 5 });
      alone.enable();
      await new Promise((r) => setTimeout(r, ms));
      alone.disable();
      rounds.push({ withReload: delay.max / 1e6, without: alone.max / 1e6, ms, taken });
    }
    const framesDuring = n;
    clearInterval(flood);
    d.stop();
    await run;
    const best = rounds.reduce((x, y) => (y.withReload - y.without < x.withReload - x.without ? y : x));
    const { withReload, without, ms } = best;
    const steps = d.lastReloadSteps!;
    console.log(`reload of ${file}: ${(ms / 1000).toFixed(1)} s, the loop's longest stall ${withReload.toFixed(1)} ms (the flood alone: ${without.toFixed(1)} ms); `
      + `the reload's longest build slice ${steps.buildSliceMs.toFixed(1)} ms, its swap ${steps.swapMs.toFixed(1)} ms; ${framesDuring} frames meanwhile`);
    expect(rounds.every((r) => r.taken)).toBe(true);
    expect(log.lines.map((l) => l.msg)).toContain(`reloaded ${file}: customers +0 -0, servers +0 -0, IPs +0 -0`);
    expect(framesDuring).toBeGreaterThan(10_000);
    expect(withReload).toBeLessThanOrEqual(without + MAX_STALL_MS);
    expect(fs.existsSync(file)).toBe(true);
  }, 180_000);
});
