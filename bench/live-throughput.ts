/**
 * Live throughput (`npm run bench:live`, root): `tcpreplay --topspeed` pushes the 1M-frame detection
 * capture (detect-capture.ts: 100,000-server inventory, 20 % 802.1Q) into a veth between two network
 * namespaces, while `arpwarden capture` (the built CLI, with that inventory: detection on) and
 * `tcpdump -w /dev/null` capture the peer at the same time, each on its own socket and kernel buffer
 * (32 MiB each, tcpdump's -B and arpwarden's --buffer-mib). It prints the rate tcpreplay reached,
 * the frames each counted and the kernel's drops for each (pcap_stats), round after round, and the
 * best round. A benchmark: exits 0 whatever the figures.
 *
 *   npm run bench:live                     # 3 rounds
 *   npm run bench:live -- --rounds 1 --pps 200000   # a fixed rate instead of --topspeed
 */
import { type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { ensureDetectCapture, ensureInventory, captureParams, inventoryParams } from './detect-capture.js';
import { ROOT } from './capture.js';
import { NetnsLab, stopChild, type Netns } from '../test/e2e/netns.js';

const cli = parseArgs({ options: { rounds: { type: 'string', default: '3' }, pps: { type: 'string' }, 'buffer-mib': { type: 'string', default: '32' } } });
const ROUNDS = Number(cli.values.rounds);
const BUFFER_MIB = Number(cli.values['buffer-mib']);
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Round { replayedPps: number; sent: number; arpwarden: { frames: number; dropped: number }; tcpdump: { captured: number; dropped: number } }

/** Waits until `text()` matches, or the child exits, or `ms` pass. */
async function waitText(child: ChildProcess, text: () => string, re: RegExp, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!re.test(text())) {
    if (child.exitCode !== null) throw new Error(`${what} exited ${child.exitCode}: ${text()}`);
    if (Date.now() > end) throw new Error(`${what}: not ready after ${ms} ms: ${text()}`);
    await sleep(50);
  }
}

async function round(src: Netns, cap: Netns, file: string, inventory: string): Promise<Round> {
  let awErr = '';
  let awSummary: { frames: number; kernel: { received: number; dropped: number } | null } | null = null;
  const aw = cap.spawn([process.execPath, CLI, 'capture', '-i', 'span0', '--inventory', inventory, '--format', 'json', '--buffer-mib', String(BUFFER_MIB), '--seconds', '300', '--log-format', 'pretty'], { maxSeconds: 320 });
  aw.stderr?.setEncoding('utf8').on('data', (s: string) => { awErr += s; });
  createInterface({ input: aw.stdout! }).on('line', (l) => {
    if (l.startsWith('{"event":"summary"')) awSummary = JSON.parse(l) as typeof awSummary;
  });
  let tdErr = '';
  const td = cap.spawn(['tcpdump', '-i', 'span0', '-n', '-B', String(BUFFER_MIB * 1024), '-w', '/dev/null', 'arp or (vlan and arp)'], { maxSeconds: 320 });
  td.stderr?.setEncoding('utf8').on('data', (s: string) => { tdErr += s; });
  await waitText(aw, () => awErr, /capturing on span0/, 60_000, 'arpwarden capture');
  await waitText(td, () => tdErr, /listening on span0/, 10_000, 'tcpdump');
  const rate = cli.values.pps !== undefined ? ['--pps', cli.values.pps] : ['--topspeed'];
  const r = await src.exec(['tcpreplay', '-i', 'tx0', ...rate, file], { timeoutMs: 300_000 });
  const out = r.stdout + r.stderr;
  const pps = Number(/([\d.]+) pps/.exec(out)?.[1] ?? NaN);
  const sent = Number(/Successful packets:\s+(\d+)/.exec(out)?.[1] ?? /Actual: (\d+) packets/.exec(out)?.[1] ?? NaN);
  await sleep(1_000); // what the kernel holds reaches both
  await stopChild(td, 'SIGINT', 5_000);
  await stopChild(aw, 'SIGTERM', 30_000);
  const captured = Number(/(\d+) packets captured/.exec(tdErr)?.[1] ?? NaN);
  const tdDropped = Number(/(\d+) packets dropped by kernel/.exec(tdErr)?.[1] ?? NaN);
  const s = awSummary as { frames: number; kernel: { received: number; dropped: number } | null } | null;
  if (s === null) throw new Error(`arpwarden printed no summary: ${awErr}`);
  return { replayedPps: pps, sent, arpwarden: { frames: s.frames, dropped: s.kernel?.dropped ?? NaN }, tcpdump: { captured, dropped: tdDropped } };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench:live needs root (network namespaces)');
  const inv = inventoryParams();
  const { file: inventory } = ensureInventory(inv);
  const { file, expected } = ensureDetectCapture(captureParams(inv));
  console.log(`live throughput: ${path.basename(file)} (${expected.frames.toLocaleString('en')} frames) into a veth, ${cli.values.pps ?? 'topspeed'}; kernel buffer ${BUFFER_MIB} MiB each`);
  const lab = new NetnsLab('live-');
  try {
    const [src, cap] = [await lab.namespace('src'), await lab.namespace('cap')];
    await lab.veth({ ns: src, name: 'tx0' }, { ns: cap, name: 'span0' });
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r = await round(src, cap, file, inventory);
      rounds.push(r);
      console.log(`  round ${i + 1}: tcpreplay ${Math.round(r.replayedPps).toLocaleString('en')} pps, ${r.sent.toLocaleString('en')} sent; `
        + `arpwarden ${r.arpwarden.frames.toLocaleString('en')} frames, ${r.arpwarden.dropped.toLocaleString('en')} dropped by the kernel; `
        + `tcpdump ${r.tcpdump.captured.toLocaleString('en')} captured, ${r.tcpdump.dropped.toLocaleString('en')} dropped`);
    }
    const best = rounds.reduce((a, b) => (b.replayedPps > a.replayedPps ? b : a));
    console.log('\n| | frames/s offered | frames counted | kernel drops |');
    console.log('| --- | --- | --- | --- |');
    console.log(`| arpwarden capture (detection, 100k-server inventory) | ${Math.round(best.replayedPps).toLocaleString('en')} | ${best.arpwarden.frames.toLocaleString('en')} | ${best.arpwarden.dropped.toLocaleString('en')} |`);
    console.log(`| tcpdump -w /dev/null | ${Math.round(best.replayedPps).toLocaleString('en')} | ${best.tcpdump.captured.toLocaleString('en')} | ${best.tcpdump.dropped.toLocaleString('en')} |`);
  } finally {
    await lab.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(`bench:live: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
