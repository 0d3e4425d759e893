import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arpRequest } from '../../fixtures/lib/frames.js';
import { T0, TEST_INVENTORY } from '../../test/helpers/arp.js';
import { FakeLiveSource } from '../../test/helpers/fake-live-source.js';
import { testTempDir } from '../../test/helpers/temp-dir.js';
import { defaultConfig } from '../config/schema.js';
import { parseInventory } from '../inventory/load.js';
import { StateFile } from '../state/state-file.js';
import { DaemonEvents } from '../telemetry/events.js';
import { memoryLogger } from '../telemetry/logger.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { CaptureDaemon } from './capture-daemon.js';
import { daemonSinks } from './sinks.js';

const inv = parseInventory('test.yaml', TEST_INVENTORY);
/** case 1 (alias netmask): srv-a's failover 198.51.100.7 asks for its /24 neighbours, one a second, from `from` s */
const noise = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({
  bytes: arpRequest({ sha: '0c:c4:7a:00:00:0a', spa: '198.51.100.7', tpa: `198.51.100.${20 + (i % 3)}` }),
  tsMicros: T0 + (from + i) * 1e6,
}));

/** One run of a capture daemon with an outbox, its state in `file`: the frames, then `then`, then a stop. */
async function run(file: string, outbox: string, frames: ReturnType<typeof noise>, then?: (d: CaptureDaemon) => void) {
  const config = defaultConfig();
  const telemetry = new Telemetry();
  const events = new DaemonEvents(telemetry, memoryLogger());
  const sinks = await daemonSinks({ config, detection: true, format: 'json', out: { write: () => true } as unknown as NodeJS.WritableStream, outbox, events, telemetry });
  const source = new FakeLiveSource();
  const d = new CaptureDaemon({
    interface: 'span0', config, inventory: inv, source, sinks: sinks.sinks, telemetry, events, timers: false, state: new StateFile(file),
    closeSinks: () => sinks.close(), sinkState: { save: () => sinks.saveState(), restore: (v) => sinks.restoreState(v) },
  });
  const running = d.start();
  while (!source.started) await new Promise((r) => setTimeout(r, 5));
  source.deliver(frames);
  then?.(d);
  d.stop();
  await running;
  await sinks.close();
}

describe('state across restarts: the outbox\'s emails', () => {
  it('an email written at stop has its cooldown in the state: the incident reopening after a restart is not mailed again', async () => {
    const dir = testTempDir('aw-state-emails-');
    const file = join(dir, 'capture-span0.json');
    const outbox = join(dir, 'outbox');
    // 20 s of noise: the incident is open and its email waits for its evidence; the stop writes it
    await run(file, outbox, noise(0, 20));
    expect(readdirSync(outbox).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { sinks: { emails?: { outbox?: unknown[] } } };
    expect(saved.sinks.emails?.outbox).toHaveLength(1);

    // the next run: the incident resolves, the same noise an hour later opens another (another job id), within the cooldown
    await run(file, outbox, noise(3 * 3600, 90), (d) => d.detection!.advanceTo(T0 + 4 * 3600e6));
    expect(readdirSync(outbox).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
  });
});
