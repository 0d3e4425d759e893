/**
 * How long a SIGHUP reload of the bench's inventory holds the capture's thread, under a flood (issue 12): the measure
 * behind `npm run bench:inventory`'s reload lines and test/daemon/reload-stall.test.ts's assertion.
 *
 * A capture daemon on a fake live source takes 200 frames a millisecond (requests from the inventory's failover IPs);
 * each round reloads the same file (parsed and compiled in the worker thread, the index built in slices on the loop,
 * then swapped in) while the event loop's delay is recorded, then records the flood alone for as long: on a shared,
 * loaded machine the flood alone (and the scheduler) stalls the loop too, so the reload's share is the difference.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { arpRequest } from '../fixtures/lib/frames.js';
import { configSchema } from '../src/config/schema.js';
import { ipToString } from '../src/decode/addr.js';
import { CaptureDaemon } from '../src/daemon/capture-daemon.js';
import { loadInventory } from '../src/inventory/load.js';
import { DaemonEvents } from '../src/telemetry/events.js';
import { memoryLogger } from '../src/telemetry/logger.js';
import { Telemetry } from '../src/telemetry/telemetry.js';
import { T0 } from '../test/helpers/arp.js';
import { FakeLiveSource } from '../test/helpers/fake-live-source.js';

/** The longest a reload may hold the capture's thread, beyond what the flood alone does (issue 12). */
export const MAX_RELOAD_STALL_MS = 50;

export interface ReloadRound {
  /** the reload, from the request to the swap, ms */
  ms: number;
  /** the event loop's longest delay during the reload, and during the flood alone for as long right after, ms */
  withReload: number;
  without: number;
  /** the reload's longest slice of the index build on the loop, and its swap, ms */
  buildSliceMs: number;
  swapMs: number;
  taken: boolean;
}

export interface ReloadPause {
  rounds: ReloadRound[];
  /** the round whose stall stands out least from the flood's own (a shared machine) */
  best: ReloadRound;
  /** frames the daemon took from the flood's start to the last round's end */
  frames: number;
  /** the daemon's log messages */
  log: string[];
}

export async function reloadPause(file: string, rounds = 3): Promise<ReloadPause> {
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
  const out: ReloadRound[] = [];
  try {
    // a few rounds of the flood first: the detector's tables as a capture has them
    await new Promise((r) => setTimeout(r, 300));
    for (let round = 0; round < rounds; round++) {
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const t0 = performance.now();
      const taken = await d.reload();
      const ms = performance.now() - t0;
      delay.disable();
      const steps = d.lastReloadSteps ?? { buildSliceMs: Number.NaN, swapMs: Number.NaN };
      const alone = monitorEventLoopDelay({ resolution: 5 });
      alone.enable();
      await new Promise((r) => setTimeout(r, ms));
      alone.disable();
      out.push({ ms, withReload: delay.max / 1e6, without: alone.max / 1e6, buildSliceMs: steps.buildSliceMs, swapMs: steps.swapMs, taken });
    }
  } finally {
    clearInterval(flood);
    d.stop();
    await run;
  }
  const best = out.reduce((x, y) => (y.withReload - y.without < x.withReload - x.without ? y : x));
  return { rounds: out, best, frames: n, log: log.lines.map((l) => l.msg) };
}

/** One line a round, for the bench and the test's output. */
export function reloadRoundLine(r: ReloadRound): string {
  return `reload ${(r.ms / 1000).toFixed(2)} s: the loop's longest stall ${r.withReload.toFixed(1)} ms (the flood alone: ${r.without.toFixed(1)} ms), `
    + `longest build slice ${r.buildSliceMs.toFixed(1)} ms, swap ${r.swapMs.toFixed(1)} ms${r.taken ? '' : ', NOT TAKEN'}`;
}
