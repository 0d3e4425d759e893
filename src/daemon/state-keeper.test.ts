import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arpRequest } from '../../fixtures/lib/frames.js';
import { T0, TEST_INVENTORY } from '../../test/helpers/arp.js';
import { defaultConfig } from '../config/schema.js';
import type { IncidentChange, IncidentSink } from '../incidents/incident.js';
import { parseInventory } from '../inventory/load.js';
import { StateFile } from '../state/state-file.js';
import { DaemonEvents } from '../telemetry/events.js';
import { memoryLogger } from '../telemetry/logger.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { CaptureDaemon } from './capture-daemon.js';
import { StateKeeper } from './state-keeper.js';
import { DetectionPipeline } from '../pipeline/detection.js';
import { frameHandler } from '../pipeline/pipeline.js';
import { TrafficSummary } from '../pipeline/traffic-summary.js';
import { type DaemonState, parseState } from '../state/daemon-state.js';
import type { StateStore } from '../state/state-store.js';
import { FakeLiveSource } from '../../test/helpers/fake-live-source.js';
import { testTempDir } from '../../test/helpers/temp-dir.js';

class Recorder implements IncidentSink {
  readonly name = 'recorder';
  readonly changes: string[] = [];
  accept(c: IncidentChange): void { this.changes.push(`${c.kind} ${c.incident.id}`); }
  async close(): Promise<void> {}
}

const inv = parseInventory('test.yaml', TEST_INVENTORY);
/** case 1 (alias netmask): srv-a's failover 198.51.100.7 asks for its /24 neighbours, one a second, for 40 s */
const noise = Array.from({ length: 40 }, (_, i) => ({
  bytes: arpRequest({ sha: '0c:c4:7a:00:00:0a', spa: '198.51.100.7', tpa: `198.51.100.${20 + (i % 3)}` }),
  tsMicros: T0 + i * 1e6,
}));

function decoded(bytes: Buffer): DaemonState {
  const r = parseState(bytes.toString('utf8'));
  if (!('state' in r)) throw new Error(r.problem);
  return r.state;
}

async function until(check: () => boolean): Promise<undefined> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
  return undefined;
}

async function run(file: string, iface: string, frames: typeof noise, then?: (d: CaptureDaemon) => void) {
  const source = new FakeLiveSource();
  const sink = new Recorder();
  const telemetry = new Telemetry();
  const log = memoryLogger();
  const d = new CaptureDaemon({
    interface: iface, config: defaultConfig(), inventory: inv, source, sinks: [sink], telemetry, events: new DaemonEvents(telemetry, log),
    timers: false, state: new StateFile(file),
  });
  const running = d.start();
  // a start refused (the state file) ends here, before any frame
  const refused = await Promise.race([running.then(() => null, (e: unknown) => e), until(() => source.started)]);
  if (refused !== null && refused !== undefined) throw refused;
  source.deliver(frames);
  then?.(d);
  d.stop();
  await running;
  return { d, sink, log, open: d.detection!.book.openIncidents() };
}

describe('state across restarts: the open incidents carry on with their ids', () => {
  it('a restart mid-incident reopens nothing and keeps the id; the incident resolves once, after the quiet period', async () => {
    const file = join(testTempDir('aw-state-'), 'capture-span0.json');
    const first = await run(file, 'span0', noise.slice(0, 20));
    const opened = first.sink.changes.filter((c) => c.startsWith('opened'));
    expect(opened).toHaveLength(1);
    const id = opened[0].slice('opened '.length);
    expect(id).toMatch(/^alias-netmask-198\.51\.100\.7-/);
    expect(first.open.map((i) => i.id)).toEqual([id]);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { incidents: { id: string; frames: { first: unknown[] } }[]; interface: string };
    expect(saved.interface).toBe('span0');
    expect(saved.incidents.map((i) => i.id)).toEqual([id]);
    expect(saved.incidents[0].frames.first.length).toBeGreaterThan(0);

    const second = await run(file, 'span0', noise.slice(20), (d) => d.detection!.advanceTo(T0 + 40e6 + 3600e6));
    expect(second.log.lines.find((l) => l.fields?.event === 'state_restored')?.msg).toMatch(/^restored 1 open incidents from the state file .*capture-span0\.json \(packet time 20/);
    // no second 'opened', the same id updated and then resolved once
    expect(second.sink.changes.filter((c) => c.startsWith('opened'))).toEqual([]);
    expect(second.sink.changes).toContain(`resolved ${id}`);
    const resolved = second.d.detection!.book.history();
    expect(resolved.map((i) => i.id)).toEqual([id]);
    // the evidence of the first run is still the incident's: its first sample is the first run's first frame
    expect(resolved[0].openedAt).toBeLessThan(T0 + 20e6);
    expect(resolved[0].samples[0]).toBe(first.open[0].samples[0]);
    expect(resolved[0].frames!.first[0].tsMicros).toBe(first.open[0].frames!.first[0].tsMicros);
    expect(resolved[0].openedAt).toBe(first.open[0].openedAt);
    expect(resolved[0].verdict.customer?.id).toBe('c-1');
  });

  it('a file that is not ours is set aside (kept, renamed) and the daemon starts afresh; one of another span port is refused in one line', async () => {
    const dir = testTempDir('aw-state-');
    const file = join(dir, 'state.json');
    writeFileSync(file, '{"version":1,"interface":"span0","saved_at":"x","packet_time":1,"incidents":[{"id":"x"}]}');
    const r = await run(file, 'span0', []);
    const line = r.log.lines.find((l) => l.fields?.event === 'state_set_aside');
    expect(line?.level).toBe('warn');
    expect(line?.msg).toMatch(/^state file .*state\.json not used: incidents\.0\.case: .*; kept as .*state\.json\.bad-\d+, starting afresh$/);
    expect(readdirSync(dir).filter((f) => f.startsWith('state.json.bad-'))).toHaveLength(1);

    await expect(run(file, 'span1', [])).rejects.toThrow(/^state file .*state\.json holds the capture on span0, not on span1: give each capture daemon its own \(state\.file or --state\)$/);
  });

  it('saves to a file never overlap: one asked for while another is under way waits for its rename, and the file ends with the newer', async () => {
    const file = new StateFile(join(testTempDir('aw-state-'), 'capture-span0.json'));
    const steps: string[] = [];
    let release = (): void => {};
    const held = new Promise<void>((r) => { release = r; });
    // the first save's write held back (a slow disk) until released
    const store: StateStore = {
      where: file.where, load: () => file.load(), close: () => file.close(),
      save: async (st) => {
        const t = decoded(st.bytes()).packet_time;
        steps.push(`start ${t}`);
        if (steps.length === 1) await held;
        const r = await file.save(st);
        steps.push(`end ${t}`);
        return r;
      },
    };
    const detection = new DetectionPipeline(inv, defaultConfig().detector);
    const onFrame = frameHandler(1, new TrafficSummary(), detection.onArp);
    const deliver = (frames: typeof noise): void => { for (const f of frames) onFrame(f.bytes, 0, f.bytes.length, f.bytes.length, f.tsMicros); };
    const keeper = new StateKeeper(store, 'span0', detection, new DaemonEvents(new Telemetry(), memoryLogger()));
    deliver(noise.slice(0, 20));
    const first = keeper.save();
    await until(() => steps.length === 1);
    deliver(noise.slice(20));
    keeper.tick(); // skipped: a save is under way
    const second = keeper.save();
    await new Promise((r) => setTimeout(r, 20));
    expect(steps).toEqual([`start ${noise[19].tsMicros}`]);
    release();
    await Promise.all([first, second]);
    expect(steps).toEqual([`start ${noise[19].tsMicros}`, `end ${noise[19].tsMicros}`, `start ${noise[39].tsMicros}`, `end ${noise[39].tsMicros}`]);
    const loaded = await file.load();
    expect(loaded.kind === 'loaded' ? loaded.state.packet_time : null).toBe(noise[39].tsMicros);
  });

  it('a save lets the capture run between its slices, and leaves out an incident resolved meanwhile', async () => {
    const saves: DaemonState[] = [];
    const store: StateStore = { where: 'memory', load: async () => ({ kind: 'none' }), save: async (st) => { saves.push(decoded(st.bytes())); return {}; }, close: async () => {} };
    const detection = new DetectionPipeline(inv, defaultConfig().detector);
    const onFrame = frameHandler(1, new TrafficSummary(), detection.onArp);
    for (const f of noise) onFrame(f.bytes, 0, f.bytes.length, f.bytes.length, f.tsMicros);
    const open = detection.book.openIncidents();
    expect(open).toHaveLength(1);
    const t = new Telemetry();
    const events = new DaemonEvents(t, memoryLogger());

    // in one slice: the incident as it stands
    await new StateKeeper(store, 'span0', detection, events).save();
    expect(saves[0].incidents.map((i) => i.id)).toEqual([open[0].id]);
    expect(saves[0].packet_time).toBe(noise[noise.length - 1].tsMicros);

    // a slice of 0 ms yields before each incident: the capture runs meanwhile (here it resolves the incident)
    let ranMeanwhile = false;
    setImmediate(() => {
      ranMeanwhile = true;
      detection.advanceTo(T0 + 3600e6);
    });
    await new StateKeeper(store, 'span0', detection, events, null, null, 0).save();
    expect(ranMeanwhile).toBe(true);
    expect(detection.book.openIncidents()).toEqual([]);
    expect(saves[1].incidents).toEqual([]);
    // the packet time of the moment the save began
    expect(saves[1].packet_time).toBe(noise[noise.length - 1].tsMicros);
  });
});
