import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
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
async function run(file: string, outbox: string, frames: ReturnType<typeof noise>, then?: (d: CaptureDaemon) => void | Promise<void>) {
  const config = defaultConfig();
  const telemetry = new Telemetry();
  const events = new DaemonEvents(telemetry, memoryLogger());
  const sinks = await daemonSinks({ config, detection: true, format: 'json', out: { write: () => true } as unknown as NodeJS.WritableStream, outbox, events, telemetry });
  const source = new FakeLiveSource();
  const d = new CaptureDaemon({
    interface: 'span0', config, inventory: inv, source, sinks: sinks.sinks, telemetry, events, timers: false, state: new StateFile(file),
    closeSinks: () => sinks.close(), sinkState: { save: () => sinks.saveState(), restore: (v, open) => sinks.restoreState(v, open) },
  });
  const running = d.start();
  while (!source.started) await new Promise((r) => setTimeout(r, 5));
  source.deliver(frames);
  await then?.(d);
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

  it('a crash before an incident\'s email was written: the restart writes it (the same file), once', async () => {
    const dir = testTempDir('aw-state-emails-');
    const file = join(dir, 'capture-span0.json');
    const crashed = join(dir, 'crashed.json');
    // the state as the timer saved it while the email waited for its evidence; the process then died
    await run(file, join(dir, 'outbox-1'), noise(0, 20), async (d) => {
      await d.saveState();
      copyFileSync(file, crashed);
    });
    const written = readdirSync(join(dir, 'outbox-1')).filter((f) => f.endsWith('.eml'));
    expect(written).toHaveLength(1);
    const saved = JSON.parse(readFileSync(crashed, 'utf8')) as { incidents: { id: string }[]; sinks: { emails: { unsent: { outbox: unknown[] } } } };
    expect(saved.sinks.emails.unsent.outbox).toEqual([[saved.incidents[0].id, false]]);

    // the restart from that state: nothing on the wire, the incident resolves after its quiet period and gets its email
    await run(crashed, join(dir, 'outbox-2'), [], (d) => d.detection!.advanceTo(T0 + 3600e6));
    expect(readdirSync(join(dir, 'outbox-2')).filter((f) => f.endsWith('.eml'))).toEqual(written);
    // handed over: the next state names it no more
    const after = JSON.parse(readFileSync(crashed, 'utf8')) as { sinks: { emails: { unsent: { outbox: unknown[] } } } };
    expect(after.sinks.emails.unsent.outbox).toEqual([]);
  });
});

describe('state at stop, before the sinks close', () => {
  it('a sink whose close outlasts systemd\'s stop timeout (killed then): the open incident is in the state already', async () => {
    const dir = testTempDir('aw-state-slow-close-');
    const file = join(dir, 'capture-span0.json');
    const config = defaultConfig();
    const telemetry = new Telemetry();
    const source = new FakeLiveSource();
    const d = new CaptureDaemon({
      interface: 'span0', config, inventory: inv, source, sinks: [], telemetry, events: new DaemonEvents(telemetry, memoryLogger()), timers: false,
      state: new StateFile(file), closeSinks: () => new Promise<void>(() => {}), // a flush that never ends
    });
    void d.start();
    while (!source.started) await new Promise((r) => setTimeout(r, 5));
    source.deliver(noise(0, 20));
    d.stop();
    const saved = (): { incidents: { case: string }[] } | null => { try { return JSON.parse(readFileSync(file, 'utf8')) as { incidents: { case: string }[] }; } catch { return null; } };
    await expect.poll(() => saved()?.incidents.map((i) => i.case), { timeout: 5000 }).toEqual(['alias-netmask']);
  });
});
