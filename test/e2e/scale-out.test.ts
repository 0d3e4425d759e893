/**
 * Scale-out by VLAN (issue 12, docs/operations.md "Scaling out"): two capture daemons on one span port, with
 * complementary `--vlans` sets, against one Redis, give together exactly the incidents one daemon gives, and
 * each customer gets one email. All three daemons capture the same replay at once (the same frames, the same
 * kernel timestamps): the single one without a queue, the two shards with the queue, one worker, and an SMTP
 * server writing what it accepts to a directory, whose messages are parsed back.
 *
 * No 8021q module is needed: the tagged frames are a capture this test writes (five customers' failover IPs,
 * each configured with the wrong netmask, each on its own VLAN, one untagged), pushed by tcpreplay into a veth
 * whose peer is the span port. The kernel takes each frame's outer tag off into its metadata (libpcap puts it
 * back for the daemon), as a real span port's NIC does.
 *
 * Needs root (see netns.ts), redis-server, tcpreplay; about 60 s.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arpRequest, LINKTYPE_ETHERNET, TPID_8021Q, vlanTag } from '../../fixtures/lib/frames.js';
import { pcap, type PcapRecord } from '../../fixtures/lib/pcap-writer.js';
import { ArpwardenCapture, type IncidentEvent } from './arpwarden-capture.js';
import { assertNetnsUsable, netnsAvailability, NetnsLab, removeStaleNamespaces, stopChild, type Netns } from './netns.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const SMTP_TO_DIR = fileURLToPath(new URL('./smtp-to-dir.ts', import.meta.url));
const PORTS = { redis: 6379, smtp: 2525 };

/** customer n: server 203.0.113.(10+n), failover 198.51.100.(10+n) as an alias, on VLAN 100+n; the fifth untagged */
const CUSTOMERS = [1, 2, 3, 4, 5].map((n) => ({
  n, id: `c-${n}`, email: `ops@c${n}.example`, server: `203.0.113.${10 + n}`, failover: `198.51.100.${10 + n}`,
  mac: `0c:c4:7a:00:00:0${n}`, vlan: n === 5 ? null : 100 + n,
}));
/** the shards: VLANs 101, 102 and untagged; every other VLAN */
const SHARDS = ['101-102,untagged', '0-100,103-4095'];

const INVENTORY = [
  '# written by test/e2e/scale-out.test.ts',
  'routers:',
  '  - { ip: 203.0.113.254, mac: "00:00:5e:00:01:01" }',
  'customers:',
  ...CUSTOMERS.map((c) => `  - { id: ${c.id}, name: Customer ${c.n}, email: ${c.email}, locale: en }`),
  'servers:',
  ...CUSTOMERS.map((c) => `  - { id: srv-${c.n}, customer: ${c.id}, ip: ${c.server}, mac: "${c.mac}", gateway: 203.0.113.254${c.vlan === null ? '' : `, vlan: ${c.vlan}`} }`),
  'failover_ips:',
  ...CUSTOMERS.map((c) => `  - { ip: ${c.failover}, server: srv-${c.n} }`),
  '',
].join('\n');

/** Each failover asks, every 150 ms for 9 s, for addresses of its wrong /24 that nobody holds (case 1, alias-netmask). */
function noiseCapture(): Buffer {
  const records: PcapRecord[] = [];
  const t0 = Date.UTC(2026, 11, 1) * 1000;
  for (let i = 0; i < 60; i++) {
    for (const c of CUSTOMERS) {
      const frame = arpRequest({ sha: c.mac, spa: c.failover, tpa: `198.51.100.${100 + (i % 12)}`, pad: true,
        tags: c.vlan === null ? [] : [vlanTag(TPID_8021Q, c.vlan)] });
      records.push({ tsMicros: t0 + i * 150_000 + c.n * 1000, frame });
    }
  }
  return pcap(records, { linktype: LINKTYPE_ETHERNET });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** (IP, case) of each incident opened, sorted */
const opened = (events: readonly IncidentEvent[]): string[] =>
  events.filter((e) => e.event === 'incident_opened').map((e) => `${e.incident.ip} ${e.incident.case}`).sort();

describe.skipIf(availability.skip)('scale-out: two daemons with complementary VLAN sets on one span port', () => {
  const lab = new NetnsLab('scale-');
  let tmp = '';
  let maildir = '';
  let src: Netns;
  let cap: Netns;
  const servers: ChildProcess[] = [];
  const captures: ArpwardenCapture[] = [];

  /** a server in the capture's namespace, up once `ready` shows in its output */
  async function server(name: string, argv: string[], ready: string): Promise<ChildProcess> {
    const child = cap.spawn(argv, { cwd: REPO_ROOT, maxSeconds: 300 });
    servers.push(child);
    let log = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => { log += s; });
    child.stderr?.setEncoding('utf8').on('data', (s: string) => { log += s; });
    await until(`${name} ready`, () => {
      if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${log}`);
      return log.includes(ready);
    }, 30_000);
    return child;
  }

  beforeAll(async () => {
    await assertNetnsUsable(['redis-server', 'tcpreplay']);
    await removeStaleNamespaces();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aw-e2e-scale-'));
    maildir = path.join(tmp, 'mail');
    await mkdir(maildir, { recursive: true });
    await writeFile(path.join(tmp, 'inventory.yaml'), INVENTORY);
    await writeFile(path.join(tmp, 'noise.pcap'), noiseCapture());
    await writeFile(path.join(tmp, 'single.yaml'), '# written by test/e2e/scale-out.test.ts: no queue\n{}\n');
    await writeFile(path.join(tmp, 'shared.yaml'), [
      '# written by test/e2e/scale-out.test.ts: the shards and the worker',
      `queue: { redis_url: "redis://127.0.0.1:${PORTS.redis}", backoff_seconds: 0.5, flush_seconds: 10 }`,
      `smtp: { host: 127.0.0.1, port: ${PORTS.smtp}, pool: false }`,
      'email: { from: "Lab Hosting NOC <noc@lab.example>", reply_to: noc@lab.example, provider: Lab Hosting }',
      '',
    ].join('\n'));

    src = await lab.namespace('src');
    cap = await lab.namespace('cap');
    await lab.veth({ ns: src, name: 'tx0' }, { ns: cap, name: 'span0' });
    await server('redis-server', ['redis-server', '--port', String(PORTS.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmp], 'Ready to accept connections');
    await server('smtp', [process.execPath, '--import', 'tsx', SMTP_TO_DIR, String(PORTS.smtp), maildir], 'ready');
    await server('worker', [process.execPath, '--import', 'tsx', CLI, 'worker', '--config', path.join(tmp, 'shared.yaml'), '--log-format', 'json'], '"msg":"worker: queue');
  }, 120_000);

  afterAll(async () => {
    for (const c of captures) await c.stop().catch(() => undefined);
    for (const s of servers.reverse()) await stopChild(s, 'SIGTERM', 5_000);
    await lab.cleanup();
    if (tmp !== '') await rm(tmp, { recursive: true, force: true });
  }, 60_000);

  it('the shards\' incidents together are the single daemon\'s, each in one shard only, and each customer gets one email', async () => {
    const inventory = path.join(tmp, 'inventory.yaml');
    const single = await ArpwardenCapture.start(cap, 'span0', { inventory, config: path.join(tmp, 'single.yaml'), seconds: 200, args: ['--log-format', 'json'] });
    captures.push(single);
    const shards: ArpwardenCapture[] = [];
    for (const vlans of SHARDS) {
      const shard = await ArpwardenCapture.start(cap, 'span0', { inventory, config: path.join(tmp, 'shared.yaml'), seconds: 200, args: ['--vlans', vlans, '--log-format', 'json'] });
      shards.push(shard);
      captures.push(shard);
    }
    // each shard says what it watches and where its state is (its own key)
    const started = shards.map((s) => s.stderr.split('\n').filter((l) => l.includes('"event":"capture_started"')).map((l) => JSON.parse(l) as { filter: string; state: string })[0]);
    expect(started.map((s) => s.filter)).toEqual(SHARDS.map((v) => `arp or (vlan and (arp or (vlan and arp))), VLANs ${v}`));
    expect(started[0].state).toMatch(/key arpwarden:\{arpwarden-email\}:state:.*\.vlans-101-102_untagged:span0$/);
    expect(started[1].state).toMatch(/key arpwarden:\{arpwarden-email\}:state:.*\.vlans-0-100_103-4095:span0$/);

    const replay = await src.exec(['tcpreplay', '-q', '-i', 'tx0', path.join(tmp, 'noise.pcap')], { timeoutMs: 60_000 });
    expect(replay.code).toBe(0);
    const all = CUSTOMERS.map((c) => `${c.failover} alias-netmask`).sort();
    await until('five incidents in the single daemon', () => opened(single.events).length >= all.length, 20_000);
    await until('five incidents in the shards together', () => shards.flatMap((s) => opened(s.events)).length >= all.length, 20_000);

    const results = [];
    for (const c of [...shards, single]) results.push(await c.stop(10_000));
    captures.length = 0;
    const [a, b, one] = results.map((r) => opened(r.events));
    expect(one).toEqual(all);
    expect([...a, ...b].sort()).toEqual(one);
    expect(a.filter((k) => b.includes(k))).toEqual([]);
    expect(a).toEqual(CUSTOMERS.filter((c) => c.vlan === null || c.vlan <= 102).map((c) => `${c.failover} alias-netmask`).sort());
    // every frame went to exactly one shard: the single daemon saw as many as the two together
    expect(results[0].summary.frames + results[1].summary.frames).toBe(results[2].summary.frames);
    for (const r of results) expect(r.exit.code).toBe(0);

    // the jobs are queued at the latest when the shards stop: one email per customer, no more
    await until('an email for each customer', async () => (await readdir(maildir)).length >= CUSTOMERS.length, 30_000);
    await sleep(3_000);
    const files = (await readdir(maildir)).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(CUSTOMERS.length);
    const mails = await Promise.all(files.map(async (f) => simpleParser(await readFile(path.join(maildir, f)))));
    const to = mails.map((m) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((t) => t?.value.map((v) => v.address) ?? [])).flat().sort();
    expect(to).toEqual(CUSTOMERS.map((c) => c.email).sort());
    for (const c of CUSTOMERS) {
      const mail = mails.find((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.value.some((v) => v.address === c.email)))!;
      expect(mail.text).toContain(c.failover);
    }
  }, 240_000);
});
