/**
 * A capture daemon's state in Redis (src/state/redis-state.ts) against a real redis-server: the round trip
 * (a restart mid-incident keeps the id and opens nothing), Redis away at save and at start (the capture goes
 * on, one line each way, nothing overwritten), a value that is not ours set aside, and two daemons side by
 * side (their own keys; one name twice: the later one holds the key, the other says so and writes nothing), and a
 * save that reaches Redis late (it timed out, or the last process's after a restart) never replacing a newer one.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arpRequest } from '../../fixtures/lib/frames.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { CaptureDaemon } from '../../src/daemon/capture-daemon.js';
import type { IncidentChange, IncidentSink } from '../../src/incidents/incident.js';
import { parseInventory } from '../../src/inventory/load.js';
import type { DaemonState } from '../../src/state/daemon-state.js';
import { EncodedState } from '../../src/state/encoded-state.js';
import { RedisStateStore, SET_ASIDE_TTL_MS } from '../../src/state/redis-state.js';
import { StateFile } from '../../src/state/state-file.js';
import type { StateStore } from '../../src/state/state-store.js';
import { TakeOverStore } from '../../src/state/take-over.js';
import { DaemonEvents } from '../../src/telemetry/events.js';
import { memoryLogger } from '../../src/telemetry/logger.js';
import { Telemetry } from '../../src/telemetry/telemetry.js';
import { T0, TEST_INVENTORY } from '../helpers/arp.js';
import { FakeLiveSource } from '../helpers/fake-live-source.js';
import { RedisServer } from './helpers/redis-server.js';

const inv = parseInventory('test.yaml', TEST_INVENTORY);
/** case 1 (alias netmask): srv-a's failover 198.51.100.7 asks for its /24 neighbours, one a second */
const noise = Array.from({ length: 40 }, (_, i) => ({
  bytes: arpRequest({ sha: '0c:c4:7a:00:00:0a', spa: '198.51.100.7', tpa: `198.51.100.${20 + (i % 3)}` }),
  tsMicros: T0 + i * 1e6,
}));

class Recorder implements IncidentSink {
  readonly name = 'recorder';
  readonly changes: string[] = [];
  accept(c: IncidentChange): void { this.changes.push(`${c.kind} ${c.incident.id}`); }
  async close(): Promise<void> {}
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('not within time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

let n = 0;
describe('the capture daemon\'s state in Redis', () => {
  let redis: RedisServer;
  let admin: Redis;
  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    admin.on('error', () => {});
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.close();
  });

  const config = (over: object = {}): Config => configSchema.parse({ queue: { redis_url: redis.url, name: `ops-state-${process.pid}-${++n}` }, state: { wait_seconds: 2, ...over } });
  const store = (c: Config, instance: string, iface = 'span0'): RedisStateStore =>
    new RedisStateStore({ url: redis.url, queueName: c.queue.name, instance, iface, waitMs: c.state.wait_seconds * 1000 }, 'test-host');

  /** One daemon's run: it starts (restoring), takes `frames`, runs `during`, stops (saving). */
  async function daemon(c: Config, s: StateStore, frames: typeof noise, during?: (d: CaptureDaemon, t: Telemetry, source: FakeLiveSource) => Promise<void>) {
    const source = new FakeLiveSource();
    const sink = new Recorder();
    const telemetry = new Telemetry();
    const log = memoryLogger();
    const d = new CaptureDaemon({ interface: 'span0', config: c, inventory: inv, source, sinks: [sink], telemetry, events: new DaemonEvents(telemetry, log), timers: false, state: s });
    const running = d.start();
    await until(() => source.started, 20_000);
    source.deliver(frames);
    await during?.(d, telemetry, source);
    d.stop();
    await running;
    return { d, sink, log, telemetry, events: log.lines.filter((l) => l.fields?.event !== undefined).map((l) => ({ event: l.fields!.event, level: l.level, msg: l.msg })) };
  }
  const saves = (t: Telemetry, outcome: string): number => t.snapshot().samples.find((x) => x.name === 'state_saves_total' && x.labels.outcome === outcome)?.value ?? 0;

  it('round trip: a restart mid-incident restores it from its key, same id, nothing opened again; the start line names the key', async () => {
    const c = config();
    const s1 = store(c, 'box-a');
    const first = await daemon(c, s1, noise.slice(0, 20));
    await s1.close();
    const id = first.sink.changes.find((x) => x.startsWith('opened'))!.slice('opened '.length);
    expect(first.events.find((e) => e.event === 'capture_started')?.msg).toContain(`state in redis ${redis.url} key arpwarden:{${c.queue.name}}:state:box-a:span0`);
    const saved = JSON.parse((await admin.get(s1.key))!) as { instance: string; interface: string; incidents: { id: string }[] };
    expect(saved).toMatchObject({ instance: 'box-a', interface: 'span0' });
    expect(saved.incidents.map((i) => i.id)).toEqual([id]);

    const s2 = store(c, 'box-a');
    const second = await daemon(c, s2, noise.slice(20), async (d) => { d.detection!.advanceTo(T0 + 40e6 + 3600e6); });
    await s2.close();
    expect(second.events.find((e) => e.event === 'state_restored')?.msg).toMatch(/^restored 1 open incidents from the state in redis .* key .*:state:box-a:span0 \(packet time/);
    expect(second.sink.changes.filter((x) => x.startsWith('opened'))).toEqual([]);
    expect(second.sink.changes).toContain(`resolved ${id}`);
    expect(second.d.detection!.book.history().map((i) => i.id)).toEqual([id]);
  });

  it('a daemon\'s keys after its saves are the ones docs/operations.md says to delete for a daemon gone for good', async () => {
    const c = config();
    const s = store(c, 'box-gone');
    await daemon(c, s, noise.slice(0, 20), async (d) => { await d.saveState(); });
    await s.close();
    const keys = (await admin.keys(`${s.key}*`)).map((k) => k === s.key ? 'KEY' : `KEY${k.slice(s.key.length)}`).sort();
    const doc = readFileSync(path.join(import.meta.dirname, '../../docs/operations.md'), 'utf8');
    const del = /`redis-cli DEL (KEY[^`]*)`/.exec(doc)?.[1].split(/\s+/).sort();
    expect(del).toEqual(keys);
  });

  it('Redis away at save: capture goes on, each failure counted, one line when it starts failing and one when it works again', async () => {
    const c = config();
    const s = store(c, 'box-b');
    const r = await daemon(c, s, noise.slice(0, 20), async (d, t, source) => {
      await d.saveState();
      await redis.stop();
      await d.saveState();
      source.deliver(noise.slice(20, 25));
      expect(d.summary.frames).toBe(25);
      await d.saveState();
      expect(saves(t, 'failed')).toBe(2);
      await redis.up();
      // the timer's saves, until the client is back (it reconnects by itself)
      for (let i = 0; i < 100 && saves(t, 'saved') === 1; i++) {
        await new Promise((res) => setTimeout(res, 50));
        await d.saveState();
      }
    });
    await s.close();
    const failed = r.events.filter((e) => e.event === 'state_save_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 'warn' });
    expect(failed[0].msg).toMatch(/^cannot save the state: redis redis:\/\/127\.0\.0\.1:\d+: not connected; a restart now would forget/);
    expect(r.events.filter((e) => e.event === 'state_saved').map((e) => e.msg)).toEqual([expect.stringMatching(/key .*:state:box-b:span0: saved again \(1 open incidents\)$/)]);
    expect(saves(r.telemetry, 'saved')).toBe(3); // before, once back, and at stop
    // what Redis holds is the last save's (redis-server was restarted empty)
    expect((JSON.parse((await admin.get(s.key))!) as { incidents: unknown[] }).incidents).toHaveLength(1);
  }, 30_000);

  it('Redis away at start: the daemon starts with no state after state.wait_seconds, says so once, and sets aside the key it could not read', async () => {
    const c = config({ wait_seconds: 0.5 });
    const s0 = store(c, 'box-c');
    await daemon(c, s0, noise.slice(0, 20));
    await s0.close();
    await redis.stop({ save: true });
    const s = store(c, 'box-c');
    const t0 = Date.now();
    const r = await daemon(c, s, [], async (d) => {
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(d.detection!.book.openIncidents()).toEqual([]);
      await redis.up();
      await until(() => (s as unknown as { redis: Redis }).redis.status === 'ready');
    });
    await s.close();
    const away = r.events.filter((e) => e.event === 'state_unreachable');
    expect(away).toHaveLength(1);
    expect(away[0].msg).toMatch(/^state in redis .* key .*:state:box-c:span0 not read: redis .*: not reachable within 0\.5 s \(connection refused\); starting with no state/);
    // the last run's state, never read, is kept under another name rather than overwritten by the empty one
    const aside = r.events.find((e) => e.event === 'state_set_aside');
    expect(aside?.msg).toMatch(/not read at start .*kept as .*:state:box-c:span0:unread-\d+/);
    const kept = await admin.keys(`${s.key}:unread-*`);
    expect(kept).toHaveLength(1);
    expect((JSON.parse((await admin.get(kept[0]))!) as { incidents: unknown[] }).incidents).toHaveLength(1);
    // kept a while, not for ever: each start with Redis away makes one
    expect(await admin.pttl(kept[0])).toBeGreaterThan(SET_ASIDE_TTL_MS - 60_000);
    expect(await admin.pttl(kept[0])).toBeLessThanOrEqual(SET_ASIDE_TTL_MS);
    expect(await admin.pttl(s.key)).toBe(-1);
    expect((JSON.parse((await admin.get(s.key))!) as { incidents: unknown[] }).incidents).toHaveLength(0);
  }, 30_000);

  it('a stop while the daemon waits for Redis at start ends the wait at once', async () => {
    const c = config({ wait_seconds: 60 });
    const away = new RedisStateStore({ url: 'redis://127.0.0.1:1', queueName: c.queue.name, instance: 'box-f', iface: 'span0', waitMs: 60_000 }, 'test-host');
    const telemetry = new Telemetry();
    const log = memoryLogger();
    const d = new CaptureDaemon({ interface: 'span0', config: c, inventory: inv, source: new FakeLiveSource(), sinks: [], telemetry, events: new DaemonEvents(telemetry, log), timers: false, state: away });
    const t0 = Date.now();
    const running = d.start();
    setTimeout(() => d.stop(), 300);
    await running;
    await away.close();
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(log.lines.find((l) => l.fields?.event === 'state_unreachable')?.msg).toMatch(/not read: redis redis:\/\/127\.0\.0\.1:1: stopped before it answered \(connection refused\); starting with no state/);
  });

  it('a value that is not ours (corrupt, another version, another instance\'s) is set aside under a renamed key', async () => {
    const c = config();
    for (const [value, problem] of [
      ['{"version":1,"interface":"span0"', /not JSON/],
      ['{"version":9}', /format version 9, this arpwarden reads 1/],
      [JSON.stringify({ version: 1, interface: 'span0', instance: 'box-x', saved_at: 'x', packet_time: 1, incidents: [], sinks: {} }), /written by instance box-x, not box-d/],
    ] as const) {
      const s = store(c, 'box-d');
      await admin.set(s.key, value);
      const r = await daemon(c, s, []);
      await s.close();
      const aside = r.events.find((e) => e.event === 'state_set_aside');
      expect(aside?.msg).toMatch(problem);
      const bad = await admin.keys(`${s.key}:bad-*`);
      expect(bad).toHaveLength(1);
      expect(await admin.get(bad[0])).toBe(value);
      expect(await admin.pttl(bad[0])).toBeGreaterThan(SET_ASIDE_TTL_MS - 60_000);
      expect(await admin.pttl(bad[0])).toBeLessThanOrEqual(SET_ASIDE_TTL_MS);
      await admin.del(bad[0]);
    }
  });

  it('a state file of the days without a queue is taken over: read while Redis holds nothing, then renamed', async () => {
    const c = config();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aw-ops-takeover-'));
    const file = new StateFile(path.join(dir, 'capture-span0.json'));
    const first = await daemon(c, file, noise.slice(0, 20));
    const id = first.sink.changes.find((x) => x.startsWith('opened'))!.slice('opened '.length);
    const redisStore = store(c, 'box-e');
    const second = await daemon(c, new TakeOverStore(redisStore, file), noise.slice(20, 25));
    await redisStore.close();
    expect(second.events.find((e) => e.event === 'state_restored')?.msg).toMatch(/^restored 1 open incidents from the state file .*capture-span0\.json/);
    expect(second.sink.changes.filter((x) => x.startsWith('opened'))).toEqual([]);
    expect(readdirSync(dir)).toEqual(['capture-span0.json.moved-to-redis']);
    expect((JSON.parse((await admin.get(redisStore.key))!) as { incidents: { id: string }[] }).incidents.map((i) => i.id)).toEqual([id]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('two daemons side by side keep their own keys; the same name twice: the later one holds the key, the earlier says so and writes nothing', async () => {
    const c = config();
    const a = store(c, 'vlans-low');
    const b = store(c, 'vlans-high');
    // b sees the noise, a sees nothing: their states differ
    const [ra, rb] = await Promise.all([daemon(c, a, []), daemon(c, b, noise.slice(0, 20))]);
    await Promise.all([a.close(), b.close()]);
    expect(ra.sink.changes).toEqual([]);
    expect((JSON.parse((await admin.get(a.key))!) as { incidents: unknown[] }).incidents).toHaveLength(0);
    expect((JSON.parse((await admin.get(b.key))!) as { incidents: unknown[] }).incidents).toHaveLength(1);

    const first = store(c, 'twin');
    const r = await daemon(c, first, noise.slice(0, 20), async (d) => {
      await d.saveState();
      const later = store(c, 'twin');
      expect((await later.load()).kind).toBe('loaded');
      await later.save(EncodedState.of({ version: 1, interface: 'span0', saved_at: 'x', packet_time: 5, incidents: [], sinks: {} }));
      await later.close();
    });
    await first.close();
    const failed = r.events.filter((e) => e.event === 'state_save_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].msg).toMatch(/:state:twin:span0 is written by another capture daemon now \(test-host:\d+:[0-9a-f]+\): give each its own state\.instance/);
    expect((JSON.parse((await admin.get(first.key))!) as { packet_time: number }).packet_time).toBe(5);
  }, 30_000);

  it('a save that timed out and reaches Redis after a newer one is refused: the newer state stays, one line says so', async () => {
    const c = config();
    const s = new RedisStateStore({ url: redis.url, queueName: c.queue.name, instance: 'box-late', iface: 'span0', waitMs: 2000, saveTimeoutMs: 300 }, 'test-host');
    // the first save's last step (the script that puts it in place) held back until released: it reaches Redis late
    const client = (s as unknown as { redis: Redis }).redis;
    const evalNow = client.eval.bind(client) as (...a: unknown[]) => Promise<unknown>;
    let release = (): void => {};
    let late: Promise<unknown> | null = null;
    client.eval = ((...a: unknown[]) => {
      if (late !== null) return evalNow(...a);
      late = new Promise<void>((r) => { release = r; }).then(() => evalNow(...a));
      return late;
    }) as unknown as typeof client.eval;
    const inPlace = async (): Promise<number> => (JSON.parse((await admin.get(s.key))!) as { packet_time: number }).packet_time;
    const r = await daemon(c, s, noise.slice(0, 20), async (d, t, source) => {
      await d.saveState();
      expect(saves(t, 'failed')).toBe(1);
      source.deliver(noise.slice(20, 25));
      await d.saveState();
      expect(saves(t, 'saved')).toBe(1);
      expect(await inPlace()).toBe(noise[24].tsMicros);
      release();
      await late;
      await new Promise((res) => setTimeout(res, 20));
      // the older state (packet time of frame 19) did not replace the newer one, and its key is gone
      expect(await inPlace()).toBe(noise[24].tsMicros);
      expect(await admin.keys(`${s.key}:saving:*`)).toEqual([]);
    });
    await s.close();
    expect(r.events.filter((e) => e.event === 'state_save_failed').map((e) => e.msg)).toEqual([expect.stringMatching(/no answer within 0\.3 s/)]);
    expect(r.events.filter((e) => e.event === 'state_save_stale')).toEqual([{
      event: 'state_save_stale', level: 'warn',
      msg: expect.stringMatching(/^state in redis .* key .*:state:box-late:span0: a save that had timed out \(number 1 of this process\) arrived after a newer one \(number 2\) and was not used; the newer state stays$/),
    }]);
    const again = store(c, 'box-late');
    const loaded = await again.load();
    await again.close();
    expect(loaded.kind === 'loaded' ? loaded.state.packet_time : null).toBe(noise[24].tsMicros);
  }, 30_000);

  it('a save of the last process that reaches Redis after a restart is refused: the restarted daemon\'s state stays', async () => {
    const c = config();
    const opts = { url: redis.url, queueName: c.queue.name, instance: 'box-restart', iface: 'span0', waitMs: 2000, saveTimeoutMs: 300 };
    const old = new RedisStateStore(opts, 'test-host');
    expect((await old.load()).kind).toBe('none');
    const client = (old as unknown as { redis: Redis }).redis;
    const evalNow = client.eval.bind(client) as (...a: unknown[]) => Promise<unknown>;
    let release = (): void => {};
    let late: Promise<unknown> | null = null;
    client.eval = ((...a: unknown[]) => {
      late = new Promise<void>((r) => { release = r; }).then(() => evalNow(...a));
      return late;
    }) as unknown as typeof client.eval;
    const state = (t: number) => EncodedState.of({ version: 1, interface: 'span0', saved_at: 'x', packet_time: t, incidents: [], sinks: {} });
    await expect(old.save(state(1))).rejects.toThrow(/no answer within 0\.3 s/);
    // the daemon restarted meanwhile (another process: another token); its first save numbered 1 too
    const restarted = new RedisStateStore(opts, 'test-host');
    expect((await restarted.load()).kind).toBe('none');
    await restarted.save(state(2));
    release();
    expect(String(await late)).toMatch(/^taken:/);
    const again = new RedisStateStore(opts, 'test-host');
    const loaded = await again.load();
    expect(loaded.kind === 'loaded' ? loaded.state.packet_time : null).toBe(2);
    expect(await admin.keys(`${old.key}:saving:*`)).toEqual([]);
    await Promise.all([old.close(), restarted.close(), again.close()]);
  });

  it('a state of several MiB is sent a part at a time and put in place whole; nothing of the save is left beside it', async () => {
    const c = config();
    const s = store(c, 'box-big');
    expect((await s.load()).kind).toBe('none');
    const incident = (k: number): DaemonState['incidents'][number] => ({
      id: `alias-netmask-100.100.0.${k}`, case: 'alias-netmask', ip: k, mac: 1, vlan: -1, other_mac: 0, opened_at: 1, last_seen: 2,
      counts: { requests: k }, samples: [`${'x'.repeat(3000)} ${k} é`], evidence: { targets: [], senderMacs: [], vlans: [] },
      frames: { first: [], last: [] }, folded: [], flood: null,
    });
    const state: DaemonState = { version: 1, interface: 'span0', saved_at: 'x', packet_time: 7, incidents: Array.from({ length: 2000 }, (_, k) => incident(k)), sinks: {} };
    await s.save(EncodedState.of(state));
    const text = (await admin.get(s.key))!;
    expect(Buffer.byteLength(text)).toBeGreaterThan(5 << 20);
    expect(text).toBe(JSON.stringify({ ...state, instance: 'box-big' }));
    expect(await admin.ttl(s.key)).toBe(-1);
    expect(await admin.keys(`${s.key}:saving:*`)).toEqual([]);
    // a restart reads it back as it was
    const again = store(c, 'box-big');
    const r = await again.load();
    expect(r.kind === 'loaded' ? r.state.incidents : []).toEqual(state.incidents);
    await Promise.all([s.close(), again.close()]);

    // a part that never arrived (here: one dropped on the way): the state is not put in place, the last one stays
    const lossy = store(c, 'box-big');
    await lossy.load();
    const client = (lossy as unknown as { redis: Redis }).redis;
    const append = client.append.bind(client);
    let parts = 0;
    client.append = ((key: string, value: Buffer) => (++parts === 2 ? Promise.resolve(0) : append(key, value))) as typeof client.append;
    await expect(lossy.save(EncodedState.of({ ...state, packet_time: 8 }))).rejects.toThrow(/^redis redis:\/\/127\.0\.0\.1:\d+: the state did not arrive whole \(\d+ bytes\), not used$/);
    expect(parts).toBeGreaterThan(2);
    expect((JSON.parse((await admin.get(s.key))!) as { packet_time: number }).packet_time).toBe(7);
    expect(await admin.keys(`${s.key}:saving:*`)).toEqual([]);
    await lossy.close();
  });
});
