/**
 * Live throughput (`npm run bench:live`, root): `tcpreplay --topspeed` pushes the 1M-frame detection
 * capture (detect-capture.ts: 100,000-server inventory, 20 % 802.1Q) into a veth between two network
 * namespaces, while `arpwarden capture` (the built CLI, with that inventory: detection on) and
 * `tcpdump -w /dev/null` capture the peer at the same time, each on its own socket and kernel buffer
 * (32 MiB each, tcpdump's -B and arpwarden's --buffer-mib; tcpdump writes to /dev/null, arpwarden's
 * incident lines go to a file, read once it has stopped). It prints the rate tcpreplay reached,
 * the frames each counted and the kernel's drops for each (pcap_stats), round after round, and the
 * highest rate each build held without a drop. A benchmark: exits 0 whatever the figures.
 *
 *   npm run bench:live                     # 3 rounds
 *   npm run bench:live -- --rounds 1 --pps 200000   # a fixed rate instead of --topspeed
 *   npm run bench:live -- --cli /tmp/before/dist/cli/main.js   # that build and this one, round after round
 *   npm run bench:live -- --node-arg=--cpu-prof --node-arg=--cpu-prof-dir=/tmp/prof   # the capture's profile
 *   npm run bench:live -- --state-every 1   # the capture keeps its state in a file, saved every second (state.save_seconds)
 */
import { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { ensureDetectCapture, ensureInventory, captureParams, inventoryParams } from './detect-capture.js';
import { ROOT } from './capture.js';
import { NetnsLab, stopChild, type Netns } from '../test/e2e/netns.js';

const cli = parseArgs({ options: { rounds: { type: 'string', default: '3' }, pps: { type: 'string' }, 'buffer-mib': { type: 'string', default: '32' }, cli: { type: 'string', multiple: true }, 'node-arg': { type: 'string', multiple: true }, 'state-every': { type: 'string' } } });
const ROUNDS = Number(cli.values.rounds);
const BUFFER_MIB = Number(cli.values['buffer-mib']);
/** the builds compared, one round each in turn (a loaded machine's drift hits them alike): --cli ones, then this checkout's */
const CLIS = [...(cli.values.cli ?? []), path.join(ROOT, 'dist', 'cli', 'main.js')];
/** A build by its checkout's folder (…/X/dist/cli/main.js → X). */
const label = (cliFile: string): string => path.basename(path.resolve(cliFile, '..', '..', '..'));
/** The capture's CPU time over the replay (user + system: what other load does not inflate much) per frame it counted. */
const perFrame = (r: Round): string => ((r.arpwarden.cpu.seconds / r.arpwarden.frames) * 1e6).toFixed(2);
/** The same split: the main thread's part, and the system's (syscalls; and softirq work charged to whoever runs). */
const perFrameSplit = (r: Round): string => {
  const us = (s: number): string => ((s / r.arpwarden.frames) * 1e6).toFixed(2);
  return `main thread ${us(r.arpwarden.cpu.main)}, system ${us(r.arpwarden.cpu.sys)}`;
};
/** where a round's capture writes its stdout */
const OUT_TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-live-'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Round { build: string; replayedPps: number; sent: number; arpwarden: { frames: number; dropped: number; cpu: Cpu };  tcpdump: { captured: number; dropped: number } }

/** The process `timeout` runs (Netns.spawn: ip netns exec execs timeout, which forks the command). */
function commandPid(child: ChildProcess): number {
  const pid = child.pid!;
  const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  if (kids.length !== 1) throw new Error(`expected one child of ${pid}, found ${kids.length}`);
  return kids[0];
}

/** User and system CPU seconds in a /proc stat file (clock ticks of 100 Hz). */
function statSeconds(file: string): { user: number; sys: number } {
  const stat = fs.readFileSync(file, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / 100, sys: Number(fields[12]) / 100 };
}

/** A process's CPU time so far: all its threads, user and system, and its main thread's alone (JavaScript runs there; V8's collector helpers and libuv's pool are the others). */
function cpuTimes(pid: number): Cpu {
  const all = statSeconds(`/proc/${pid}/stat`);
  const main = statSeconds(`/proc/${pid}/task/${pid}/stat`);
  return { seconds: all.user + all.sys, sys: all.sys, main: main.user + main.sys };
}

interface Cpu { seconds: number; sys: number; main: number }

/** Waits until `text()` matches, or the child exits, or `ms` pass. */
async function waitText(child: ChildProcess, text: () => string, re: RegExp, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!re.test(text())) {
    if (child.exitCode !== null) throw new Error(`${what} exited ${child.exitCode}: ${text()}`);
    if (Date.now() > end) throw new Error(`${what}: not ready after ${ms} ms: ${text()}`);
    await sleep(50);
  }
}

async function round(src: Netns, cap: Netns, file: string, inventory: string, build: string): Promise<Round> {
  let awErr = '';
  let awSummary: { frames: number; kernel: { received: number; dropped: number } | null } | null = null;
  const spawned = Date.now();
  // stdout (a JSON line per incident change, 8.5 MB for this capture) goes to a file: a reader in this
  // process, on the same 2 cores, would take CPU from the capture it measures (tcpdump writes to /dev/null)
  const outFile = path.join(OUT_TMP, `capture-${process.pid}.jsonl`);
  const outFd = fs.openSync(outFile, 'w');
  // --state-every: a state file of the round's own (a restart's restore is not measured), saved at that interval
  const stateFile = path.join(OUT_TMP, `state-${process.pid}.json`);
  const stateArgs: string[] = [];
  if (cli.values['state-every'] !== undefined) {
    const config = path.join(OUT_TMP, 'state-config.yaml');
    fs.writeFileSync(config, `state:\n  save_seconds: ${Number(cli.values['state-every'])}\n`);
    stateArgs.push('--config', config, '--state', stateFile);
  }
  const aw = cap.spawn([process.execPath, ...(cli.values['node-arg'] ?? []), build, 'capture', '-i', 'span0', '--inventory', inventory, '--format', 'json', '--buffer-mib', String(BUFFER_MIB), '--seconds', '300', '--log-format', 'pretty', ...stateArgs],
    { maxSeconds: 320, stdio: ['ignore', outFd, 'pipe'] });
  fs.closeSync(outFd);
  aw.stderr?.setEncoding('utf8').on('data', (s: string) => { awErr += s; });
  const readSummary = (): void => {
    for (const l of fs.readFileSync(outFile, 'utf8').split('\n')) {
      // what a --node-arg prints (--trace-gc) is shown, and may share a line with ours (V8 writes it past Node's stream)
      const at = l.indexOf('{"event":"summary"');
      if (at >= 0) {
        try {
          awSummary = JSON.parse(l.slice(at)) as typeof awSummary;
        } catch {
          console.log('    (the summary line was cut by V8\'s output)');
        }
      }
      if (l !== '' && at !== 0 && !l.startsWith('{')) console.log(`    arpwarden: ${at > 0 ? l.slice(0, at) : l}`);
    }
    fs.rmSync(outFile);
    fs.rmSync(stateFile, { force: true });
  };
  let tdErr = '';
  const td = cap.spawn(['tcpdump', '-i', 'span0', '-n', '-B', String(BUFFER_MIB * 1024), '-w', '/dev/null', 'arp or (vlan and arp)'], { maxSeconds: 320 });
  td.stderr?.setEncoding('utf8').on('data', (s: string) => { tdErr += s; });
  await waitText(aw, () => awErr, /capturing on span0/, 60_000, 'arpwarden capture');
  await waitText(td, () => tdErr, /listening on span0/, 10_000, 'tcpdump');
  const capturing = Date.now() - spawned;
  const pid = commandPid(aw);
  const cpuBefore = cpuTimes(pid);
  const rate = cli.values.pps !== undefined ? ['--pps', cli.values.pps] : ['--topspeed'];
  const r = await src.exec(['tcpreplay', '-i', 'tx0', ...rate, file], { timeoutMs: 300_000 });
  const out = r.stdout + r.stderr;
  if (cli.values['node-arg'] !== undefined) console.log(`    (after the spawn: capturing at ${capturing} ms, replay ended at ${Date.now() - spawned} ms)`);
  const pps = Number(/([\d.]+) pps/.exec(out)?.[1] ?? NaN);
  const sent = Number(/Successful packets:\s+(\d+)/.exec(out)?.[1] ?? /Actual: (\d+) packets/.exec(out)?.[1] ?? NaN);
  await sleep(1_000); // what the kernel holds reaches both
  const cpuAfter = cpuTimes(pid);
  const cpu: Cpu = { seconds: cpuAfter.seconds - cpuBefore.seconds, sys: cpuAfter.sys - cpuBefore.sys, main: cpuAfter.main - cpuBefore.main };
  await stopChild(td, 'SIGINT', 5_000);
  await stopChild(aw, 'SIGTERM', 30_000);
  readSummary();
  const captured = Number(/(\d+) packets captured/.exec(tdErr)?.[1] ?? NaN);
  const tdDropped = Number(/(\d+) packets dropped by kernel/.exec(tdErr)?.[1] ?? NaN);
  const s = awSummary as { frames: number; kernel: { received: number; dropped: number } | null } | null;
  if (s === null) throw new Error(`arpwarden printed no summary: ${awErr}`);
  return { build, replayedPps: pps, sent, arpwarden: { frames: s.frames, dropped: s.kernel?.dropped ?? NaN, cpu }, tcpdump: { captured, dropped: tdDropped } };
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
      for (const build of CLIS) {
        const r = await round(src, cap, file, inventory, build);
        rounds.push(r);
        console.log(`  round ${i + 1}, ${label(build)} (load ${os.loadavg()[0].toFixed(1)}): tcpreplay ${Math.round(r.replayedPps).toLocaleString('en')} pps, ${r.sent.toLocaleString('en')} sent; `
          + `arpwarden ${r.arpwarden.frames.toLocaleString('en')} frames, ${r.arpwarden.dropped.toLocaleString('en')} dropped by the kernel, ${perFrame(r)} µs of CPU a frame (${perFrameSplit(r)}); `
          + `tcpdump ${r.tcpdump.captured.toLocaleString('en')} captured, ${r.tcpdump.dropped.toLocaleString('en')} dropped`);
      }
    }
    console.log('\n| build | frames/s offered | arpwarden: counted, kernel drops, CPU µs a frame | tcpdump: counted, kernel drops |');
    console.log('| --- | --- | --- | --- |');
    for (const r of rounds) {
      console.log(`| ${label(r.build)} | ${Math.round(r.replayedPps).toLocaleString('en')} | ${r.arpwarden.frames.toLocaleString('en')}, ${r.arpwarden.dropped.toLocaleString('en')}, ${perFrame(r)} | ${r.tcpdump.captured.toLocaleString('en')}, ${r.tcpdump.dropped.toLocaleString('en')} |`);
    }
    for (const build of CLIS) {
      const clean = rounds.filter((r) => r.build === build && r.arpwarden.dropped === 0).map((r) => r.replayedPps);
      console.log(`${label(build)}: highest rate with no kernel drop ${clean.length === 0 ? 'none' : `${Math.round(Math.max(...clean)).toLocaleString('en')} frames/s`}`);
    }
  } finally {
    await lab.cleanup();
    fs.rmSync(OUT_TMP, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`bench:live: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
