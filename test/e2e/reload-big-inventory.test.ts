/**
 * The 55 MB reload fault of issue 14: a live capture at about 50,000 frames/s (tcpreplay in a namespace) takes a
 * SIGHUP with an inventory of about 55 MB (250,000 servers, 500,000 failover IPs, generated here into a
 * temporary directory). Before the reload moved off the capture's thread, that froze capture 6.8 s and the
 * kernel dropped 239,136 frames. Now: the kernel drops no more for arpwarden than for a tcpdump beside it on the
 * same port, the capture goes on, and the reload is logged with its counts. Needs root (netns.ts); about 2 min.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryParams, inventoryYaml, Layout } from '../../bench/detect-capture.js';
import { arpReply } from '../../fixtures/lib/frames.js';
import { pcap } from '../../fixtures/lib/pcap-writer.js';
import { ipToString, macToString } from '../../src/decode/addr.js';
import { assertNetnsUsable, netnsAvailability, NetnsLab, removeStaleNamespaces, stopChild, type Netns } from './netns.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const SERVERS = 250_000;
const PPS = 50_000;
const BUFFER_MIB = 32;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(availability.skip)('a SIGHUP with a 55 MB inventory under a 50 kpps capture', () => {
  const lab = new NetnsLab('inventory');
  let src: Netns;
  let cap: Netns;
  let dir: string;

  beforeAll(async () => {
    await assertNetnsUsable(['tcpreplay', 'tcpdump']);
    await removeStaleNamespaces();
    src = await lab.namespace('src');
    cap = await lab.namespace('cap');
    await lab.veth({ ns: src, name: 'awinvtx0' }, { ns: cap, name: 'awinvspan0' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-inventory-e2e-'));
  });

  afterAll(async () => {
    await lab.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('drops no more than tcpdump beside it, captures on, logs the reload with its counts', async () => {
    const inventory = path.join(dir, 'inventory.yaml');
    fs.writeFileSync(inventory, inventoryYaml(new Layout(inventoryParams(SERVERS))));
    expect(fs.statSync(inventory).size).toBeGreaterThan(50e6);
    // the wire of a healthy network: 10,000 of its servers answering their gateway with their own MAC (nothing to report)
    const layout = new Layout(inventoryParams(SERVERS));
    const frames = Array.from({ length: 10_000 }, (_, k) => {
      const i = (k * 24_989) % SERVERS;
      return {
        frame: arpReply({ sha: macToString(layout.serverMac(i)), spa: ipToString(layout.serverIp(i)), tha: '00:00:5e:00:01:01', tpa: ipToString(layout.serverGateway(i)) }),
        tsMicros: 1717200000e6 + k * 20,
      };
    });
    const flood = path.join(dir, 'flood.pcap');
    fs.writeFileSync(flood, pcap(frames, { linktype: 1 }));

    let awErr = '';
    type Summary = { frames: number; kernel: { received: number; dropped: number } };
    const got: { summary: Summary | null } = { summary: null };
    const aw = cap.spawn([process.execPath, '--import', 'tsx', CLI, 'capture', '-i', 'awinvspan0', '--inventory', inventory, '--format', 'json',
      '--buffer-mib', String(BUFFER_MIB), '--seconds', '1200', '--log-format', 'pretty'], { cwd: REPO_ROOT, maxSeconds: 1300 });
    aw.stderr?.setEncoding('utf8').on('data', (s: string) => { awErr += s; });
    createInterface({ input: aw.stdout! }).on('line', (l) => {
      if (l.startsWith('{"event":"summary"')) got.summary = JSON.parse(l) as Summary;
    });
    const until = async (re: RegExp, ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (!re.test(awErr)) {
        if (aw.exitCode !== null || aw.signalCode !== null) throw new Error(`capture exited ${aw.exitCode ?? aw.signalCode}: ${awErr}`);
        if (Date.now() > end) throw new Error(`not seen after ${ms} ms: ${re}: ${awErr}`);
        await sleep(100);
      }
    };
    await until(/capturing on awinvspan0/, 300_000);
    let tdErr = '';
    const td = cap.spawn(['tcpdump', '-i', 'awinvspan0', '-n', '-B', String(BUFFER_MIB * 1024), '-w', '/dev/null', 'arp'], { maxSeconds: 1300 });
    td.stderr?.setEncoding('utf8').on('data', (s: string) => { tdErr += s; });
    while (!/listening on/.test(tdErr)) await sleep(50);
    const replay = src.spawn(['tcpreplay', '-q', '-i', 'awinvtx0', '--pps', String(PPS), '--loop', '0', '--duration', '900', flood], { maxSeconds: 1300 });
    await sleep(3_000);
    const hupAt = Date.now();
    // to arpwarden itself: the `timeout` that Netns.spawn wraps it in takes a SIGHUP as its own stop (then SIGKILLs)
    const pid = Number(execFileSync('pgrep', ['-P', String(aw.pid)], { encoding: 'utf8' }).trim().split('\n')[0]);
    process.kill(pid, 'SIGHUP');
    await until(/reloaded .*inventory\.yaml: customers \+0 -0, servers \+0 -0, IPs \+0 -0/, 600_000);
    const reloadSeconds = (Date.now() - hupAt) / 1000;
    await sleep(3_000);
    await stopChild(replay, 'SIGINT', 5_000);
    await sleep(1_000);
    await stopChild(td, 'SIGINT', 5_000);
    await stopChild(aw, 'SIGTERM', 60_000);
    const tcpdump = { captured: Number(/(\d+) packets? captured/.exec(tdErr)?.[1]), dropped: Number(/(\d+) packets? dropped by kernel/.exec(tdErr)?.[1]) };
    const s = got.summary;
    console.log(`reload of ${(fs.statSync(inventory).size / 1048576).toFixed(1)} MiB in ${reloadSeconds.toFixed(1)} s under ${PPS} pps (load ${os.loadavg()[0].toFixed(1)}): `
      + `arpwarden ${s?.frames} frames, ${s?.kernel.dropped} dropped by the kernel; tcpdump ${tcpdump.captured} captured, ${tcpdump.dropped} dropped`);
    expect(s).not.toBeNull();
    expect(s!.frames).toBeGreaterThan(PPS * reloadSeconds * 0.5);
    expect(s!.kernel.dropped).toBeLessThanOrEqual(Math.max(0, tcpdump.dropped));
    expect(awErr).not.toMatch(/kept the last good inventory|^\s+at /m);
  }, 1_500_000);
});
