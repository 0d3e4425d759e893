import { describe, expect, it, vi } from 'vitest';
import { arpRequest } from '../../fixtures/lib/frames.js';
import { T0, TEST_INVENTORY } from '../../test/helpers/arp.js';
import { defaultConfig } from '../config/schema.js';
import type { IncidentChange, IncidentSink } from '../incidents/incident.js';
import { parseInventory } from '../inventory/load.js';
import { DaemonEvents } from '../telemetry/events.js';
import { memoryLogger } from '../telemetry/logger.js';
import { sampleValue, Telemetry } from '../telemetry/telemetry.js';
import { CaptureDaemon } from './capture-daemon.js';
import { FakeLiveSource } from '../../test/helpers/fake-live-source.js';
import { LiveClock } from './live-clock.js';

class Recorder implements IncidentSink {
  readonly name = 'recorder';
  readonly changes: string[] = [];
  accept(c: IncidentChange): void { this.changes.push(`${c.kind} ${c.incident.caseId}`); }
  async close(): Promise<void> {}
}

const inv = parseInventory('test.yaml', TEST_INVENTORY);
/** case 1: a /24 alias on srv-a asking for its neighbours, one a second */
const offLink = Array.from({ length: 30 }, (_, i) => ({
  bytes: arpRequest({ sha: '0c:c4:7a:00:00:0a', spa: '198.51.100.7', tpa: `198.51.100.${20 + (i % 3)}` }),
  tsMicros: T0 + i * 1e6,
}));

function daemon(over: { loadInventory?: (f: string) => ReturnType<typeof parseInventory>; maxRemovedPercent?: number } = {}) {
  const source = new FakeLiveSource();
  const sink = new Recorder();
  const telemetry = new Telemetry();
  const log = memoryLogger();
  const d = new CaptureDaemon({
    interface: 'span0', config: withMaxRemoved(over.maxRemovedPercent), inventory: inv, inventoryFile: 'inv.yaml', loadInventory: over.loadInventory ?? (() => inv),
    source, sinks: [sink], telemetry, events: new DaemonEvents(telemetry, log), timers: false,
  });
  return { d, source, sink, telemetry, log };
}

function withMaxRemoved(percent: number | undefined): ReturnType<typeof defaultConfig> {
  const c = defaultConfig();
  return percent === undefined ? c : { ...c, inventory: { max_removed_percent: percent } };
}

/** TEST_INVENTORY without srv-b and its failover and block member: 3 of its 6 customer IPs gone: exactly half, not more */
const withoutSrvB = parseInventory('inv.yaml', TEST_INVENTORY
  .replace('  - { id: srv-b, customer: c-2, ip: 203.0.113.11, mac: 0C-C4-7A-00-00-0B, gateway: 203.0.113.254 }\n', '')
  .replace('  - { ip: 198.51.100.9, server: srv-b }\n', '')
  .replace('members: [ { ip: 192.0.2.18, server: srv-b } ]', 'members: []'));
/** only srv-a's main IP left, and a new customer: 5 of 6 customer IPs gone */
const truncated = parseInventory('inv.yaml', `
routers:
  - { ip: 203.0.113.254, mac: "00:00:5e:00:01:01" }
customers:
  - { id: c-1, email: ops@example.net, name: Example SARL, locale: fr }
  - { id: c-3, email: c3@example.org }
servers:
  - { id: srv-a, customer: c-1, ip: 203.0.113.10, mac: "0c:c4:7a:00:00:0a", gateway: 203.0.113.254, vlan: 100 }
`);

describe('LiveClock', () => {
  it('moves time only after the wire has been silent for the given number of beats, lagging the clock', () => {
    const c = new LiveClock(3, 2e6);
    expect(c.beat(5, 100e6)).toBeNull();
    expect(c.beat(6, 101e6)).toBeNull(); // frames flowed: time is theirs
    expect(c.beat(6, 102e6)).toBeNull();
    expect(c.beat(6, 103e6)).toBeNull();
    expect(c.beat(6, 104e6)).toBe(102e6);
    expect(c.beat(7, 105e6)).toBeNull(); // a frame again: silence starts over
  });
});

describe('CaptureDaemon (a fake frame source, beats by hand)', () => {
  it('opens an incident from live frames and resolves it once a silent wire lets the clock move time', async () => {
    const { d, source, sink, telemetry } = daemon();
    const run = d.start();
    await Promise.resolve();
    source.deliver(offLink);
    expect(sink.changes).toEqual(['opened alias-netmask']);
    // while frames flow the clock is never read: ten beats without a frame first
    const clock = T0 + 30e6 + 400e6;
    d.heartbeat(clock);
    expect(sink.changes).toEqual(['opened alias-netmask']);
    for (let i = 0; i < 10; i++) d.heartbeat(clock + i * 1e6);
    expect(sink.changes.at(-1)).toBe('resolved alias-netmask');
    const snap = telemetry.snapshot();
    expect(sampleValue(snap, 'arp_packets_total', { op: 'request' })).toBe(30);
    expect(sampleValue(snap, 'incidents_total', { case: 'alias-netmask', change: 'opened' })).toBe(1);
    expect(sampleValue(snap, 'incidents_total', { case: 'alias-netmask', change: 'resolved' })).toBe(1);
    expect(sampleValue(snap, 'incidents_open', { case: 'alias-netmask' })).toBe(0);
    expect(sampleValue(snap, 'capture_kernel_dropped_total')).toBe(2);
    d.stop();
    const r = await run;
    expect(r.summary.frames).toBe(30);
  });

  it('telemetry reads the run while it goes on, not only at the end', async () => {
    const { d, source, telemetry } = daemon();
    const run = d.start();
    await Promise.resolve();
    source.deliver(offLink.slice(0, 15));
    const snap = telemetry.snapshot();
    expect(sampleValue(snap, 'frames_total')).toBe(15);
    expect(sampleValue(snap, 'incidents_open', { case: 'alias-netmask' })).toBe(1);
    expect(sampleValue(snap, 'detector_senders')).toBe(1);
    expect(snap.packetTimeMicros).toBe(T0 + 14e6);
    d.stop();
    await run;
  });

  it('a reload refuses a bad inventory, keeps the good one, and says so in one logged, counted event', async () => {
    let bad = true;
    const { d, telemetry, log } = daemon({ loadInventory: () => { if (bad) throw new Error('inv.yaml:3: servers[0].mac: not a MAC address'); return inv; } });
    const run = d.start();
    expect(await d.reload()).toBe(false);
    bad = false;
    expect(await d.reload()).toBe(true);
    expect(log.lines.map((l) => `${l.level} ${l.msg}`)).toEqual([
      'info capturing on span0 (arp), no state kept, Ctrl-C to stop',
      'warn kept the last good inventory: inv.yaml:3: servers[0].mac: not a MAC address',
      'info reloaded inv.yaml: customers +0 -0, servers +0 -0, IPs +0 -0',
    ]);
    const snap = telemetry.snapshot();
    expect(sampleValue(snap, 'events_total', { type: 'inventory_refused' })).toBe(1);
    expect(sampleValue(snap, 'events_total', { type: 'inventory_reloaded' })).toBe(1);
    d.stop();
    await run;
  });

  it('a reload that would remove more than inventory.max_removed_percent of the customer IPs is refused with the counts', async () => {
    let next = truncated;
    const { d, telemetry, log } = daemon({ loadInventory: () => next });
    const run = d.start();
    expect(await d.reload()).toBe(false);
    expect(log.lines.at(-1)).toMatchObject({ level: 'warn' });
    expect(log.lines.at(-1)!.msg).toBe('kept the last good inventory: inv.yaml would remove 5 of the 6 customer IPs (83.3%, 1 left), '
      + 'more than inventory.max_removed_percent 50%: a truncated file? (arpwarden inventory diff shows the changes)');
    // under the share: taken, and the log says what changed (compared with the kept inventory, not the refused one)
    next = withoutSrvB;
    expect(await d.reload()).toBe(true);
    expect(log.lines.at(-1)!.msg).toBe('reloaded inv.yaml: customers +0 -0, servers +0 -1, IPs +0 -3');
    // compared with the inventory now in use: back to the full one adds them again
    next = inv;
    expect(await d.reload()).toBe(true);
    expect(log.lines.at(-1)!.msg).toBe('reloaded inv.yaml: customers +0 -0, servers +1 -0, IPs +3 -0');
    const snap = telemetry.snapshot();
    expect(sampleValue(snap, 'events_total', { type: 'inventory_refused' })).toBe(1);
    expect(sampleValue(snap, 'events_total', { type: 'inventory_reloaded' })).toBe(2);
    d.stop();
    await run;
  });

  it('inventory.max_removed_percent 100 lets any reload through', async () => {
    const { d, log } = daemon({ loadInventory: () => truncated, maxRemovedPercent: 100 });
    const run = d.start();
    expect(await d.reload()).toBe(true);
    expect(log.lines.at(-1)!.msg).toBe('reloaded inv.yaml: customers +1 -1, servers +0 -1, IPs +0 -5');
    d.stop();
    await run;
  });
});

describe('CaptureDaemon web API', () => {
  it('listens while the capture runs (incidents live from the book) and is closed when it stops', async () => {
    const source = new FakeLiveSource();
    const telemetry = new Telemetry();
    const log = memoryLogger();
    const d = new CaptureDaemon({
      interface: 'span0', config: defaultConfig(), inventory: inv, source, sinks: [], telemetry, events: new DaemonEvents(telemetry, log), timers: false,
      web: { host: '127.0.0.1', port: 0, token: null },
    });
    const running = d.start();
    await vi.waitFor(() => expect(d.webUrl).not.toBeNull());
    const url = d.webUrl!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    source.deliver(offLink);
    const body = (await (await fetch(`${url}api/incidents`)).json()) as { incidents: { case: string; ip: string }[] };
    expect(body.incidents.map((i) => `${i.case} ${i.ip}`)).toEqual(['alias-netmask 198.51.100.7']);
    expect(((await (await fetch(`${url}healthz`)).json()) as { frames: number }).frames).toBe(30);
    d.stop();
    await running;
    await expect(fetch(`${url}healthz`)).rejects.toThrow();
  });

  it('kernel drops are told as they start and then once a minute while they grow, with the drops since the last line', () => {
    const { d, source, log, telemetry } = daemon();
    source.dropped = 0;
    d.heartbeat(T0);
    source.dropped = 40;
    d.heartbeat(T0 + 1e6);
    source.dropped = 90;
    d.heartbeat(T0 + 2e6);
    d.heartbeat(T0 + 61e6);
    d.heartbeat(T0 + 122e6);
    const told = log.lines.filter((l) => l.fields?.event === 'kernel_dropping');
    expect(told.map((l) => [l.level, l.fields?.dropped, l.fields?.total])).toEqual([['warn', 40, 40], ['warn', 50, 90]]);
    expect(told[0].msg).toBe('the kernel dropped 40 frames on span0 (40 since start): the capture does not keep up (docs/operations.md, "Kernel drops")');
    expect(sampleValue(telemetry.snapshot(), 'events_total', { type: 'kernel_dropping' })).toBe(2);
  });

  it('a clock stepped back two hours under a running capture: one warning line (detection stands still), one when it has caught up', async () => {
    const { d, source, log } = daemon();
    const running = d.start();
    while (!source.started) await new Promise((r) => setTimeout(r, 5));
    source.deliver(offLink.slice(0, 5));
    const last = offLink[4].tsMicros;
    d.heartbeat(last + 1e6);
    // the clock is set back: the frames now come stamped two hours before packet time, which stays where it was
    const back = last - 7200e6;
    source.deliver([{ ...offLink[5], tsMicros: back }]);
    d.heartbeat(back + 1e6);
    d.heartbeat(back + 2e6);
    expect(d.detection!.detector.time).toBe(last);
    d.heartbeat(last + 1e6);
    const told = log.lines.filter((l) => l.fields?.event === 'clock_behind' || l.fields?.event === 'clock_in_step');
    expect(told.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'packet time on span0 (2026-11-02T09:00:04.000000Z) is 7199 s ahead of the clock: it went back, or the state was saved under a clock that was ahead; '
        + 'until it catches up, frames count as of that time, so the windows do not slide and no incident resolves (docs/operations.md, "Clock")'],
      ['info', 'the clock has caught up with packet time on span0: detection follows the frames\' time again'],
    ]);
    d.stop();
    await running;
  });
});

describe('CaptureDaemon page feed', () => {
  it('incident changes and heartbeat stats reach /api/events; a page still connected does not hold the stop', async () => {
    const source = new FakeLiveSource();
    const telemetry = new Telemetry();
    const d = new CaptureDaemon({
      interface: 'span0', config: defaultConfig(), inventory: inv, source, sinks: [], telemetry, events: new DaemonEvents(telemetry, memoryLogger()), timers: false,
      web: { host: '127.0.0.1', port: 0, token: null },
    });
    const running = d.start();
    await vi.waitFor(() => expect(d.webUrl).not.toBeNull());
    const res = await fetch(`${d.webUrl!}api/events`);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const readUntil = async (what: RegExp): Promise<void> => {
      while (!what.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${what}: ${text}`);
        text += value;
      }
    };
    await readUntil(/event: reset/);
    source.deliver(offLink);
    await readUntil(/event: incident\ndata: \{"change":"opened","incident":\{"id":"alias-netmask-198\.51\.100\.7-/);
    d.heartbeat();
    await new Promise((r) => setTimeout(r, 20));
    d.heartbeat();
    await readUntil(/event: stats\ndata: .*"top_talkers":\[\{"ip":"198\.51\.100\.7"/);
    expect(sampleValue(telemetry.snapshot(), 'web_sse_clients')).toBe(1);
    d.stop();
    await running;
    // the server ended the stream itself when it closed
    await expect(readUntil(/never sent/)).rejects.toThrow(/stream ended/);
  });
});
