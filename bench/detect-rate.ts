/**
 * Detection benchmark (`npm run bench:detect`): how fast arpwarden replays a
 * large capture with detection on, against decode only and tcpdump, on an
 * inventory of 100,000 servers and 200,000 failover IPs; the incidents it
 * finds against the offenders generated; and the memory a flood of spoofed
 * senders costs at the default caps. Inputs are generated (deterministic, see
 * detect-capture.ts) into bench/out/ and reused.
 *
 *   npm run bench:detect                                   # 4,000,000 frames, 100,000 servers, best of 5 (≈ 3 min)
 *   npm run bench:detect -- --baseline DIR                 # + the code before (DIR: `git archive REV`, node_modules and native/build linked)
 *   npm run bench:detect -- --frames 200000 --servers 20000 # a quick look
 *   npm run bench:detect -- --profile                      # + a CPU profile of the detection replay
 *   npm run bench:detect -- --stages                       # + where the detection replay's time goes, stage by stage
 *   npm run bench:detect -- --active-share 1 --no-memory   # every server and failover IP talks
 *   npm run bench:detect -- --no-alloc                     # without the bytes-per-frame figures
 *   npm run bench:detect -- --no-inventory                 # without the inventory load and reload figures (bench:inventory's)
 *
 * It ends with one table of issue 12's targets, each with this run's figure and whether it was met.
 *
 * A benchmark, not a test: it prints a WARNING when the incidents or the counts
 * disagree with what was generated, and exits 0 whatever the speed; it exits 1
 * when steady-state detection allocates more than its budget of bytes per frame.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { FileSource } from '../src/capture/file-source.js';
import { classify } from '../src/classify/classify.js';
import { CASE_IDS, type CaseId } from '../src/classify/verdict.js';
import { defaultConfig } from '../src/config/schema.js';
import { ipToString } from '../src/common/addr.js';
import { Detector } from '../src/detect/detector.js';
import type { Signal } from '../src/detect/signal.js';
import { SlidingCounters } from '../src/detect/sliding-counters.js';
import type { Incident } from '../src/incidents/incident.js';
import type { InventoryIndex } from '../src/inventory/inventory-index.js';
import { loadInventory } from '../src/inventory/load.js';
import { DetectionPipeline } from '../src/pipeline/detection.js';
import { type ArpConsumer, runPipeline } from '../src/pipeline/pipeline.js';
import { type ReplayRun, replayFile } from '../src/pipeline/replay.js';
import { DETECTION_BUDGET_BYTES_PER_FRAME } from './alloc-budget.js';
import { inventoryFigures, type Verdict } from './inventory-load.js';
import { mib, OUT_DIR, positiveInt, ROOT } from './capture.js';
import { buildFloorC, floorC, floorInventory, floorTs, predecode, writeFloorInput } from './floor.js';
import {
  type CaptureExpected, captureParams, DEFAULT_FRAMES, DEFAULT_SEED, DEFAULT_SERVERS, ensureDetectCapture, ensureFlood, ensureInventory,
  floodParams, inventoryParams,
} from './detect-capture.js';

const TARGET_VS_FLOOR = 0.7;
const TARGET_VS_BEFORE = 2.5;
/** replay without inventory through the CLI, marginal, against tcpdump's marginal rate */
const TARGET_CLI_VS_TCPDUMP = 0.5;
/** the stretch: detection at a tenth of tcpdump's rate */
const TARGET_STRETCH_VS_TCPDUMP = 0.1;
/** RSS after each checkpoint of the flood within this share of the first: flat */
const RSS_FLAT_SHARE = 0.05;
const TARGET_BYTES_PER_SENDER = 200;
/** the small capture of the marginal rates: the big one's first frames (start-up, JIT warm-up and the tools' own start cancel out) */
const SMALL_FRAMES = 1000;
/** issue 12's workload: 4,000,000 frames, about 50,000 senders (16% of the inventory active) */
const BENCH_FRAMES = 4_000_000;
const TCPDUMP_FILTER = 'arp or (vlan and (arp or (vlan and arp)))';

const cli = parseArgs({
  options: {
    frames: { type: 'string', default: String(BENCH_FRAMES) },
    baseline: { type: 'string' },
    servers: { type: 'string', default: String(DEFAULT_SERVERS) },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    runs: { type: 'string', default: '5' },
    'active-share': { type: 'string', default: '0.16' },
    'flood-frames': { type: 'string', default: String(DEFAULT_FRAMES) },
    'no-memory': { type: 'boolean', default: false },
    'no-alloc': { type: 'boolean', default: false },
    'no-inventory': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    stages: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});
const RUNS = positiveInt('runs', cli.values.runs);
const activeShare = Number(cli.values['active-share']);
if (!(activeShare > 0 && activeShare <= 1)) throw new Error(`--active-share ${cli.values['active-share']}: expected a share in (0, 1]`);
const invParams = inventoryParams(positiveInt('servers', cli.values.servers), positiveInt('seed', cli.values.seed));
const capParams = captureParams(invParams, positiveInt('frames', cli.values.frames), activeShare);
const flParams = floodParams(positiveInt('flood-frames', cli.values['flood-frames']), invParams.seed);

const rel = (f: string): string => path.relative(ROOT, f);
const n = (x: number): string => x.toLocaleString('en-US');

function spawnTimed(cmd: string, args: string[]): { seconds: number; status: number | null; stdout: string; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return { seconds: (performance.now() - t0) / 1000, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? '') };
}

/** `/usr/bin/time` when there is one: a child's CPU time (user + system), what a loaded machine disturbs least. */
const TIME_BIN = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** spawnTimed, and the child's CPU time in seconds (null without /usr/bin/time; its resolution is 10 ms). */
function spawnCpu(cmd: string, args: string[]): ReturnType<typeof spawnTimed> & { cpu: number | null } {
  if (TIME_BIN === null) return { ...spawnTimed(cmd, args), cpu: null };
  const r = spawnTimed(TIME_BIN, ['-f', 'arpwarden-bench-cpu %U %S', cmd, ...args]);
  const m = /arpwarden-bench-cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { ...r, cpu: m === null ? null : Number(m[1]) + Number(m[2]) };
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

// ---------------------------------------------------------------- incidents against the offenders

function checkIncidents(all: readonly Incident[], e: CaptureExpected): boolean {
  const offenderCase = new Map<number, CaseId>();
  for (const c of CASE_IDS) for (const ipv of e.offenders[c]) offenderCase.set(ipv, c);
  console.log('');
  console.log(`incidents by case (${n(all.length)} in all), against the offenders generated`);
  console.log(`${'case'.padEnd(25)}${'offenders'.padStart(10)}${'incidents'.padStart(11)}${'found'.padStart(8)}${'missed'.padStart(8)}${'on other offenders'.padStart(20)}${'on benign IPs'.padStart(15)}`);
  let ok = true;
  const benignSamples: string[] = [];
  const missedSamples: string[] = [];
  // many noise senders at once in one VLAN are one flood incident (of that VLAN, no IP of its own): the noise
  // offenders without an incident of their own are in it, not missed
  const floods = all.filter((i) => i.caseId === 'flood').length;
  for (const c of CASE_IDS) {
    const incidents = all.filter((i) => i.caseId === c);
    const ips = new Set(incidents.map((i) => i.ip));
    const want = e.offenders[c];
    const inFlood = c === 'noise' && floods > 0;
    const found = inFlood ? want.length : want.filter((ipv) => ips.has(ipv)).length;
    let onOther = 0;
    let onBenign = 0;
    for (const i of incidents) {
      if (i.caseId === 'flood') continue;
      const oc = offenderCase.get(i.ip);
      if (oc === c) continue;
      if (oc === undefined) {
        onBenign++;
        if (benignSamples.length < 5) benignSamples.push(`${c} on ${ipToString(i.ip)} (${Object.entries(i.counts).map(([k, v]) => `${k} ${v}`).join(', ')})`);
      } else {
        onOther++;
      }
    }
    for (const ipv of want) if (!inFlood && !ips.has(ipv) && missedSamples.length < 5) missedSamples.push(`${c} ${ipToString(ipv)}`);
    if (found < want.length || onOther > 0 || onBenign > 0) ok = false;
    console.log(`${c.padEnd(25)}${n(want.length).padStart(10)}${n(incidents.length).padStart(11)}${n(found).padStart(8)}${n(want.length - found).padStart(8)}${n(onOther).padStart(20)}${n(onBenign).padStart(15)}`);
    if (inFlood) console.log(`  (noise: ${n(want.filter((ipv) => ips.has(ipv)).length)} with an incident of their own, the others in ${n(floods)} flood incident${floods === 1 ? '' : 's'})`);
  }
  const offenders = CASE_IDS.reduce((a, c) => a + e.offenders[c].length, 0);
  if (ok) console.log(`sanity: every one of the ${n(offenders)} offending IPs has an incident of its case; none on another IP (${n(e.benignSenders)} benign senders)`);
  else {
    console.log('WARNING: the incidents disagree with the offenders generated');
    for (const s of missedSamples) console.log(`  missed: ${s}`);
    for (const s of benignSamples) console.log(`  on a benign IP: ${s}`);
  }
  return ok;
}

// ---------------------------------------------------------------- CPU profile

const profileSchema = z.object({
  nodes: z.array(z.object({
    id: z.number(),
    callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    children: z.array(z.number()).optional(),
    positionTicks: z.array(z.object({ line: z.number(), ticks: z.number() })).optional(),
  })),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

/** Self time by function and by line, leaving out everything under loadInventory (the replay's share only). */
function profileTop(file: string, top: number): void {
  const prof = profileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const excluded = new Set<number>();
  const exclude = (id: number): void => {
    if (excluded.has(id)) return;
    excluded.add(id);
    for (const c of byId.get(id)?.children ?? []) exclude(c);
  };
  for (const x of prof.nodes) if (x.callFrame.functionName === 'loadInventory') exclude(x.id);
  const selfUs = new Map<number, number>();
  let loadUs = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i + 1] ?? 0;
    if (excluded.has(prof.samples[i])) { loadUs += dt; continue; }
    selfUs.set(prof.samples[i], (selfUs.get(prof.samples[i]) ?? 0) + dt);
  }
  const where = (url: string): string => url.replace(/^file:\/\/.*?\/bench\/out\/js\//, 'js:').replace(/^file:\/\/.*?\/(dist|src|node_modules)\//, '$1/') || '(native)';
  const byFn = new Map<string, number>();
  const byLine = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const x = byId.get(id);
    if (x === undefined) continue;
    const cf = x.callFrame;
    // module loading and start-up are not the replay either
    if (cf.functionName === '(program)' || cf.functionName === '(idle)') continue;
    total += us;
    const key = `${cf.functionName || '(anonymous)'}  ${where(cf.url)}:${cf.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const ticks = x.positionTicks ?? [];
    const tickSum = ticks.reduce((a, t) => a + t.ticks, 0);
    for (const t of ticks) {
      const k = `${where(cf.url)}:${t.line}  (${cf.functionName || 'anonymous'})`;
      byLine.set(k, (byLine.get(k) ?? 0) + (us * t.ticks) / tickSum);
    }
  }
  console.log(`profile ${rel(file)}: ${(total / 1000).toFixed(0)} ms of replay sampled (loadInventory's ${(loadUs / 1000).toFixed(0)} ms, (program) and (idle) left out)`);
  const print = (title: string, m: Map<string, number>): void => {
    console.log(title);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
    }
  };
  print('self time by function', byFn);
  print('self time by line (js: = bench/out/js/, tsc\'s output: lines close to the .ts)', byLine);
}

// ---------------------------------------------------------------- stages

/** What one stage hands the frame pipeline as its ArpConsumer (undefined: decode and count only). */
type Stage = [name: string, make: (inv: InventoryIndex) => ArpConsumer | undefined];

/**
 * arpwarden's detection one stage at a time, then single lookups of the hot
 * path alone (each in place of the detector, on every ARP frame), on the same
 * file, best of RUNS; ns/frame above the no-op consumer.
 */
async function stages(file: string, inventory: InventoryIndex, frames: number): Promise<void> {
  const cfg = defaultConfig();
  const d = cfg.detector;
  let sink = 0;
  const dropSignal = (): void => { sink++; };
  const routerMacs = new Set(inventory.routers.list().map((r) => r.mac));
  const list: Stage[] = [
    ['decode only (no consumer)', () => undefined],
    ['no-op consumer', () => () => { sink++; }],
    ['Detector.observe, signals dropped', (inv) => { const det = new Detector(inv, d); return (p) => det.observe(p, dropSignal); }],
    ['Detector.observe + classify', (inv) => {
      const det = new Detector(inv, d);
      const onSignal = (sg: Readonly<Signal>): void => { if (classify(sg, inv, d) !== null) sink++; };
      return (p) => det.observe(p, onSignal);
    }],
    ['DetectionPipeline.onArp (+ incidents)', (inv) => new DetectionPipeline(inv, d).onArp],
    ['lookup: inv.isRouterMac(senderMac)', (inv) => (p) => { if (inv.isRouterMac(p.senderMac)) sink++; }],
    ['what if: router MACs in their own Set', () => (p) => { if (routerMacs.has(p.senderMac)) sink++; }],
    ['lookup: inv.failover(senderIp)', (inv) => (p) => { if (inv.failover(p.senderIp) !== undefined) sink++; }],
    ['lookup: inv.isRouted(targetIp)', (inv) => (p) => { if (inv.isRouted(p.targetIp)) sink++; }],
    ['Map<ip, object> get-or-create', () => {
      const m = new Map<number, { last: number }>();
      return (p) => {
        let st = m.get(p.senderIp);
        if (st === undefined) { st = { last: 0 }; m.set(p.senderIp, st); }
        st.last = p.tsMicros;
      };
    }],
    ['  + new SlidingCounters per sender', () => {
      const m = new Map<number, { last: number; c: SlidingCounters }>();
      return (p) => {
        let st = m.get(p.senderIp);
        if (st === undefined) { st = { last: 0, c: new SlidingCounters(d.buckets) }; m.set(p.senderIp, st); }
        st.last = p.tsMicros;
      };
    }],
    ['  + a Map<target, ts> per sender', () => {
      const m = new Map<number, { last: number; c: SlidingCounters; pending: Map<number, number> | null }>();
      return (p) => {
        let st = m.get(p.senderIp);
        if (st === undefined) { st = { last: 0, c: new SlidingCounters(d.buckets), pending: null }; m.set(p.senderIp, st); }
        st.last = p.tsMicros;
        if (p.op === 1) {
          if (st.pending === null) st.pending = new Map();
          st.pending.set(p.targetIp, p.tsMicros);
        }
      };
    }],
  ];
  const best = new Map<string, number>();
  for (let r = 0; r < RUNS; r++) {
    for (const [name, make] of list) {
      const onArp = make(inventory);
      const t0 = performance.now();
      await runPipeline(new FileSource(file), onArp);
      const s = (performance.now() - t0) / 1000;
      best.set(name, Math.min(best.get(name) ?? Infinity, s));
    }
  }
  if (sink < 0) console.log('unreachable'); // keeps the lookups' results used
  const base = best.get('no-op consumer')!;
  console.log('');
  console.log(`stages: ${n(frames)} frames, best of ${RUNS}; the lookups run alone, in place of the detector`);
  console.log(`${'stage'.padEnd(42)}${'best'.padStart(9)}${'ns/frame'.padStart(10)}${'above no-op'.padStart(13)}`);
  for (const [name] of list) {
    const b = best.get(name)!;
    console.log(`${name.padEnd(42)}${`${b.toFixed(3)} s`.padStart(9)}${((b * 1e9) / frames).toFixed(0).padStart(10)}${(((b - base) * 1e9) / frames).toFixed(0).padStart(13)}`);
  }
}

/**
 * The detection child compiled by tsc into bench/out/js (tsx strips line
 * breaks, so its profiles have every function on line 1); returns the child's .js.
 */
function compileChild(child: string): string | null {
  const outDir = path.join(ROOT, 'bench', 'out', 'js');
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
  const args = [child, '--outDir', outDir, '--rootDir', ROOT, '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext',
    '--strict', '--esModuleInterop', '--skipLibCheck', '--types', 'node', '--noEmitOnError', 'false'];
  // cwd without a tsconfig.json: files on the command line, these options only
  const r = spawnSync(tsc, args, { cwd: path.join(ROOT, 'bench', 'out'), encoding: 'utf8' });
  const js = path.join(outDir, 'bench', 'detect-child.js');
  if (!fs.existsSync(js)) {
    console.log(`WARNING: tsc did not compile ${rel(child)} (status ${r.status}): ${firstLine(r.stdout + r.stderr)}`);
    return null;
  }
  // the addon is found from the compiled src/capture/native-capture.js as ../../native
  const native = path.join(outDir, 'native');
  if (!fs.existsSync(native)) fs.symlinkSync(path.join(ROOT, 'native'), native);
  return js;
}

// ---------------------------------------------------------------- the marginal rates' inputs

/** The first `frames` records of a classic pcap of 60-byte frames (bench/detect-capture.ts's), beside it; reused once written. */
function ensureHead(file: string, frames: number): string {
  const out = file.replace(/\.pcap$/, `-head${frames}.pcap`);
  const bytes = 24 + frames * 76;
  if (fs.existsSync(out) && fs.statSync(out).size === Math.min(bytes, fs.statSync(file).size)) return out;
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(bytes);
  const got = fs.readSync(fd, buf, 0, bytes, 0);
  fs.closeSync(fd);
  fs.writeFileSync(out, buf.subarray(0, got));
  return out;
}

/** The first replay of FILE against what was generated: traffic counts, the detector's state, the incidents by case. */
function checkRun(run: ReplayRun, e: CaptureExpected, cfg: ReturnType<typeof defaultConfig>): boolean {
  const s = run.summary;
  const counts: [string, number, number][] = [
    ['frames', s.frames, e.frames], ['requests', s.requests, e.requests], ['replies', s.replies, e.replies],
    ['untagged', s.byDepth[0], e.untagged], ['802.1Q', s.byDepth[1], e.dot1q], ['QinQ', s.byDepth[2], e.qinq],
  ];
  const bad = counts.filter(([, got, want]) => got !== want);
  if (bad.length > 0) console.log(`WARNING: traffic summary disagrees with the capture: ${bad.map(([k, g, w]) => `${k} ${g} (generated ${w})`).join(', ')}`);
  const d = run.detection!;
  const st = d.detector.stats();
  console.log(`  detector  senders tracked ${n(st.senders)}, untracked ${n(st.sendersUntracked)}, evicted ${n(st.sendersEvicted)}, pending ${n(st.pending)}, `
    + `pending dropped ${n(st.pendingDropped)}, ignored ${n(st.ignored)} (max_senders ${n(cfg.detector.max_senders)}, max_pending ${n(cfg.detector.max_pending)})`);
  const ok = checkIncidents(d.incidents!, e);
  console.log('');
  return ok;
}

/** The code before (a tree of it: `git archive BASE | tar -x -C DIR`, node_modules and native/build linked), loaded beside ours. */
interface Baseline {
  dir: string;
  replayFile: typeof replayFile;
  FileSource: typeof FileSource;
  inventory: InventoryIndex;
}

async function loadBaseline(dir: string, invFile: string): Promise<Baseline> {
  const imp = async <T>(rel: string): Promise<T> => (await import(path.join(dir, rel))) as T;
  const replay = await imp<typeof import('../src/pipeline/replay.js')>('src/pipeline/replay.ts');
  const source = await imp<typeof import('../src/capture/file-source.js')>('src/capture/file-source.ts');
  const load = await imp<typeof import('../src/inventory/load.js')>('src/inventory/load.ts');
  return { dir, replayFile: replay.replayFile, FileSource: source.FileSource, inventory: load.loadInventory(invFile) };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const tcpdumpVersion = firstLine(spawnTimed('tcpdump', ['--version']).stdout);
  const nproc = firstLine(spawnTimed('nproc', []).stdout) || String(os.availableParallelism());
  console.log('arpwarden detection benchmark');
  console.log(`  date     ${new Date().toISOString()}`);
  console.log(`  machine  ${nproc} CPUs (nproc), ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.type()} ${os.release()} ${os.arch()}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`  node     ${process.version}`);
  console.log(`  tcpdump  ${tcpdumpVersion || 'not found'}`);

  const inv = ensureInventory(invParams);
  const cap = ensureDetectCapture(capParams);
  const e = cap.expected;
  const offenders = CASE_IDS.reduce((a, c) => a + e.offenders[c].length, 0);
  console.log(`  inventory ${n(inv.expected.servers)} servers, ${n(inv.expected.customers)} customers, ${n(inv.expected.failovers)} failover IPs (1 in ${invParams.vmacEvery} with a vMAC), `
    + `6 blocks, 6 portable blocks, no vRack; ${n(inv.expected.lines)} lines, ${mib(fs.statSync(inv.file).size)}`);
  console.log(`  capture   ${n(e.frames)} frames over ${capParams.durationSec} s of packet time: requests ${n(e.requests)}, replies ${n(e.replies)}; `
    + `untagged ${n(e.untagged)}, 802.1Q ${n(e.dot1q)}, QinQ ${n(e.qinq)}`);
  console.log(`            ${n(e.benignSenders)} benign senders (${capParams.activeShare * 100}% of the inventory active), ${n(offenders)} offending IPs sending ${n(e.offenderFrames)} frames`);

  const cfg = defaultConfig();
  const small = ensureHead(cap.file, SMALL_FRAMES);
  const frames = predecode(cap.file);
  const floorInv = floorInventory(invParams);
  const floorInput = path.join(OUT_DIR, 'floor-input.bin');
  writeFloorInput(frames, floorInv, floorInput);
  const floorBin = buildFloorC();
  const nSmall = Math.min(SMALL_FRAMES, e.frames);
  console.log(`  marginal  each line on FILE (${n(e.frames)} frames) and on SMALL, its first ${n(nSmall)} frames: rate = the ${n(e.frames - nSmall)} frames between over the time between`);
  // wall time, and for the lines run in this process its CPU time too (user + system): on a machine shared with
  // other jobs the wall time of a run is mostly whose turn it was, its CPU time much less so
  interface Row { small: number[]; big: number[]; cpuSmall: number[]; cpuBig: number[]; cmd: string }
  const rows = new Map<string, Row>();
  const row = (name: string, cmd: string): Row => {
    let r = rows.get(name);
    if (r === undefined) { r = { small: [], big: [], cpuSmall: [], cpuBig: [], cmd }; rows.set(name, r); }
    return r;
  };
  let c0 = process.cpuUsage();
  const cpuSince = (): number => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1e6; };
  const push = (r: Row, which: 'small' | 'big', wall: number): void => {
    r[which].push(wall);
    (which === 'small' ? r.cpuSmall : r.cpuBig).push(cpuSince());
  };
  const DET = 'replay, detection on';
  const DEC = 'replay, decode only';
  const TCP = 'tcpdump -w /dev/null';
  const FTS = 'floor, TypeScript';
  const FC = 'floor, C (-O2)';
  const BASE = 'replay, detection on, before';
  const CLI = 'CLI replay --format json, no inv.';
  // the command as a user runs it: dist/, built by `npm run bench:detect` first (tsx's start-up varied by a second here)
  const cliMain = path.join(ROOT, 'dist', 'cli', 'main.js');
  const cliArgs = (f: string): string[] => [cliMain, 'replay', f, '--format', 'json'];
  if (!fs.existsSync(cliMain)) console.log(`WARNING: ${rel(cliMain)} missing (npm run build): the CLI line is left out`);
  let incidentsOk = true;
  /** the incidents of the big file's first replay, as case, IP and opening time: ours and the code before's */
  let ours: string[] = [];
  let theirs: string[] | null = null;
  const incidentKeys = (list: readonly { caseId: string; ip: number; openedAt: number }[]): string[] => list.map((i) => `${i.caseId} ${i.ip} ${i.openedAt}`).sort();
  const loadTimes: number[] = [];
  let t0 = performance.now();
  const inventory = loadInventory(inv.file);
  loadTimes.push((performance.now() - t0) / 1000);
  const before = cli.values.baseline === undefined ? null : await loadBaseline(path.resolve(cli.values.baseline), inv.file);
  for (let r = 0; r < RUNS; r++) {
    for (const [which, file] of [['small', small], ['big', cap.file]] as const) {
      t0 = performance.now(); c0 = process.cpuUsage();
      const run = await replayFile(new FileSource(file), cfg, inventory);
      push(row(DET, 'replayFile(new FileSource(F), defaultConfig(), inventory)'), which, (performance.now() - t0) / 1000);
      if (r === 0 && which === 'big') {
        incidentsOk = checkRun(run, e, cfg);
        ours = incidentKeys(run.detection!.incidents!);
      }
      if (before !== null) {
        t0 = performance.now(); c0 = process.cpuUsage();
        const old = await before.replayFile(new before.FileSource(file), cfg, before.inventory);
        if (r === 0 && which === 'big') theirs = incidentKeys(old.detection?.incidents ?? []);
        push(row(BASE, `the same, with src/ of ${rel(before.dir)} (--baseline: the code before), in this process`), which, (performance.now() - t0) / 1000);
      }
      t0 = performance.now(); c0 = process.cpuUsage();
      await replayFile(new FileSource(file), cfg, null);
      push(row(DEC, 'replayFile(new FileSource(F), defaultConfig(), null)'), which, (performance.now() - t0) / 1000);
      // children: wall time, and their CPU time from /usr/bin/time
      const child = (r: Row, c: ReturnType<typeof spawnCpu>): void => {
        r[which].push(c.seconds);
        if (c.cpu !== null) (which === 'small' ? r.cpuSmall : r.cpuBig).push(c.cpu);
      };
      if (fs.existsSync(cliMain)) {
        const c = spawnCpu(process.execPath, cliArgs(file));
        if (c.status === 0) child(row(CLI, `node ${cliArgs('F').map((a) => (a.startsWith('/') ? rel(a) : a)).join(' ')} (a child)`), c);
        else console.log(`WARNING: the CLI replay exited ${c.status}: ${firstLine(c.stderr)}`);
      }
      if (tcpdumpVersion !== '') {
        const t = spawnCpu('tcpdump', ['-r', file, '-w', '/dev/null', TCPDUMP_FILTER]);
        if (t.status === 0) child(row(TCP, `tcpdump -r F -w /dev/null '${TCPDUMP_FILTER}'`), t);
        else console.log(`WARNING: tcpdump exited ${t.status}: ${firstLine(t.stderr)}`);
      }
      t0 = performance.now(); c0 = process.cpuUsage();
      const sum = floorTs(frames, floorInv, which === 'small' ? nSmall : frames.n);
      push(row(FTS, 'floorTs (bench/floor.ts): the frames pre-decoded, only the essential lookups'), which, (performance.now() - t0) / 1000);
      if (sum < 0) console.log('unreachable');
    }
    if (floorBin !== null) {
      const c = floorC(floorBin, floorInput, nSmall);
      if (c !== null) {
        const fc = row(FC, `${rel(floorBin)} ${rel(floorInput)} ${nSmall} (bench/floor.c)`);
        fc.small.push(c.small);
        fc.big.push(c.all);
      }
    }
    const last = (name: string): string => {
      const x = rows.get(name);
      return x === undefined ? '' : `, ${name} ${x.small[x.small.length - 1].toFixed(3)}/${x.big[x.big.length - 1].toFixed(3)}`;
    };
    console.log(`  run ${r + 1}/${RUNS} (s, SMALL/FILE)${[DET, BASE, DEC, CLI, TCP, FTS, FC].map(last).join('')}`);
  }
  const best = (a: number[]): number => Math.min(...a);
  const marginal = (name: string): number | undefined => {
    const x = rows.get(name);
    if (x === undefined || x.small.length === 0 || x.big.length === 0) return undefined;
    return (e.frames - nSmall) / Math.max(1e-9, best(x.big) - best(x.small));
  };
  const marginalCpu = (name: string): number | undefined => {
    const x = rows.get(name);
    if (x === undefined || x.cpuSmall.length === 0 || x.cpuBig.length === 0) return undefined;
    return (e.frames - nSmall) / Math.max(1e-9, best(x.cpuBig) - best(x.cpuSmall));
  };
  console.log('');
  console.log(`inventory load   loadInventory(INV)   ${loadTimes[0].toFixed(3)} s (once; not in any line below)`);
  console.log('');
  console.log(`marginal rates, best of ${RUNS} on each file; FILE ${n(e.frames)} ARP frames (${mib(fs.statSync(cap.file).size)}), SMALL its first ${n(nSmall)}`);
  const tcpRate = marginal(TCP);
  const floorRate = marginal(FTS);
  console.log(`${'line'.padEnd(34)}${'SMALL'.padStart(9)}${'FILE'.padStart(10)}${'marginal'.padStart(18)}${'vs tcpdump'.padStart(12)}${'vs TS floor'.padStart(13)}    all runs on FILE (s)`);
  for (const [name, x] of rows) {
    const m = marginal(name)!;
    const vs = (ref: number | undefined): string => (ref === undefined ? 'n/a' : `${(m / ref).toFixed(3)}×`);
    console.log(`${name.padEnd(34)}${`${best(x.small).toFixed(3)} s`.padStart(9)}${`${best(x.big).toFixed(3)} s`.padStart(10)}${`${(m / 1e6).toFixed(2)} M frames/s`.padStart(18)}`
      + `${vs(tcpRate).padStart(12)}${vs(floorRate).padStart(13)}    ${x.big.map((t) => t.toFixed(3)).join(' ')}`);
  }
  console.log('');
  console.log('the same on CPU time (user + system: of this process for the lines run in it, of the child by /usr/bin/time for the CLI and tcpdump), marginal');
  const floorCpu = marginalCpu(FTS);
  for (const [name] of rows) {
    const m = marginalCpu(name);
    if (m === undefined) continue;
    console.log(`${name.padEnd(34)}${`${(m / 1e6).toFixed(2)} M frames/s`.padStart(37)}${(floorCpu === undefined ? 'n/a' : `${(m / floorCpu).toFixed(3)}×`).padStart(25)}`
      + `    ${(rows.get(name)!.cpuBig).map((t) => t.toFixed(3)).join(' ')}`);
  }
  console.log('');
  console.log(`FILE = ${rel(cap.file)}, SMALL = ${rel(small)}, INV = ${rel(inv.file)}`);
  for (const [name, x] of rows) console.log(`  ${name.padEnd(34)}${x.cmd}`);
  const det = marginal(DET)!;
  const base = marginal(BASE);
  const detCpu = marginalCpu(DET);
  const baseCpu = marginalCpu(BASE);
  if (detCpu !== undefined && baseCpu !== undefined) console.log(`on CPU time: detection ${(detCpu / baseCpu).toFixed(2)}× the code before, ${floorCpu === undefined ? 'n/a' : (detCpu / floorCpu).toFixed(2)}× the TypeScript floor`);
  console.log(`target: detection ≥ ${TARGET_VS_FLOOR}× the TypeScript floor: `
    + (floorRate === undefined ? 'n/a' : `${(det / floorRate).toFixed(2)}× — ${det / floorRate >= TARGET_VS_FLOOR ? 'MET' : 'NOT MET'}`));
  console.log(`target: detection ≥ ${TARGET_VS_BEFORE}× the code before (--baseline DIR): `
    + (base === undefined ? 'not measured (no --baseline)' : `${(det / base).toFixed(2)}× — ${det / base >= TARGET_VS_BEFORE ? 'MET' : 'NOT MET'}`));
  const cliRate = marginal(CLI);
  const cliCpu = marginalCpu(CLI);
  const tcpCpu = marginalCpu(TCP);
  console.log(`target: replay without inventory through the CLI ≥ ${TARGET_CLI_VS_TCPDUMP}× tcpdump, marginal: `
    + (cliRate === undefined || tcpRate === undefined ? 'n/a' : `${(cliRate / tcpRate).toFixed(2)}× on wall time — ${cliRate / tcpRate >= TARGET_CLI_VS_TCPDUMP ? 'MET' : 'NOT MET'}`)
    + (cliCpu === undefined || tcpCpu === undefined ? '' : `; ${(cliCpu / tcpCpu).toFixed(2)}× on CPU time — ${cliCpu / tcpCpu >= TARGET_CLI_VS_TCPDUMP ? 'MET' : 'NOT MET'}`));
  if (!incidentsOk) console.log('WARNING: incidents disagree with the offenders (see above)');
  const verdicts: Verdict[] = [];
  const ratio = (x: number): string => `${x.toFixed(2)}×`;
  if (base !== undefined) {
    // the issue's figure is best against best; each round's own ratio shows how far this machine's noise moves it
    const d = rows.get(DET)!;
    const b = rows.get(BASE)!;
    const perRound = d.big.map((t, i) => (b.big[i] - b.small[i]) / (t - d.small[i])).sort((x, y) => x - y);
    const median = perRound[Math.floor(perRound.length / 2)];
    console.log(`detection against the code before, round by round (marginal): ${perRound.map(ratio).join(' ')}; median ${ratio(median)}`);
    verdicts.push({ target: `detection ≥ ${TARGET_VS_BEFORE}× the code before (marginal, best of ${RUNS})`, figure: `${ratio(det / base)} (rounds ${ratio(perRound[0])}–${ratio(perRound[perRound.length - 1])}, median ${ratio(median)}; CPU ${detCpu !== undefined && baseCpu !== undefined ? ratio(detCpu / baseCpu) : 'n/a'})`, met: det / base >= TARGET_VS_BEFORE });
    const same = theirs !== null && theirs.length === ours.length && theirs.every((k, i) => k === ours[i]);
    console.log(`incidents: ${n(ours.length)} here, ${n(theirs?.length ?? 0)} from the code before: ${same ? 'identical (case, IP, opening time)' : 'DIFFERENT'}`);
    verdicts.push({ target: 'incidents identical to the code before\'s (this capture)', figure: `${n(ours.length)} and ${n(theirs?.length ?? 0)}`, met: same });
  }
  if (floorRate !== undefined) verdicts.push({ target: `detection ≥ ${TARGET_VS_FLOOR}× the TypeScript floor`, figure: `${ratio(det / floorRate)} (${(det / 1e6).toFixed(2)} against ${(floorRate / 1e6).toFixed(2)} M frames/s)`, met: det / floorRate >= TARGET_VS_FLOOR });
  if (tcpRate !== undefined) verdicts.push({ target: `stretch: detection ≥ ${TARGET_STRETCH_VS_TCPDUMP}× tcpdump`, figure: ratio(det / tcpRate), met: det / tcpRate >= TARGET_STRETCH_VS_TCPDUMP });
  if (cliRate !== undefined && tcpRate !== undefined) verdicts.push({ target: `replay without inventory through the CLI ≥ ${TARGET_CLI_VS_TCPDUMP}× tcpdump, marginal`, figure: `${ratio(cliRate / tcpRate)} (${(cliRate / 1e6).toFixed(2)} against ${(tcpRate / 1e6).toFixed(2)} M frames/s)`, met: cliRate / tcpRate >= TARGET_CLI_VS_TCPDUMP });
  verdicts.push({ target: 'detection\'s incidents: every offender found, none on a benign IP', figure: incidentsOk ? 'yes' : 'no (see above)', met: incidentsOk });

  const tsxImport = ['--import', 'tsx'];
  const child = path.join(ROOT, 'bench', 'detect-child.ts');
  let overBudget = false;
  if (!cli.values['no-alloc']) {
    console.log('');
    console.log('allocation: bytes allocated per frame on the V8 heap (bench/alloc-budget.ts, bench/README.md "Allocation budget"), FILE held in memory, one child per figure');
    for (const stage of ['decode', 'detection']) {
      const args = [...tsxImport, child, 'alloc', '--stage', stage, '--capture', cap.file, '--inventory', inv.file];
      console.log(`  node ${args.map((a) => (a.startsWith('/') ? rel(a) : a)).join(' ')}`);
      const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      process.stdout.write(r.stdout ?? '');
      if (r.status !== 0) overBudget = true;
      const m = /steady state.*?([\d.]+) bytes\/frame/.exec(stage === 'detection' ? r.stdout ?? '' : '');
      if (m !== null) verdicts.push({ target: `detection allocates ≤ ${DETECTION_BUDGET_BYTES_PER_FRAME} B/frame in steady state`, figure: `${m[1]} B/frame`, met: Number(m[1]) <= DETECTION_BUDGET_BYTES_PER_FRAME });
    }
  }
  if (!cli.values['no-memory']) {
    console.log('');
    const flood = ensureFlood(flParams);
    console.log(`flood: ${n(flood.expected.frames)} requests from ${n(flood.expected.senders)} distinct random senders of 100.64.0.0/10, random MACs, none answered, `
      + `${flParams.gapMicros} µs apart (${((flood.expected.lastTsMicros - flood.expected.firstTsMicros) / 1e6).toFixed(0)} s of packet time); inventory INV (no vRack)`);
    const args = ['--expose-gc', ...tsxImport, child, 'memory', '--capture', flood.file, '--inventory', inv.file];
    console.log(`  node ${args.map((a) => (a.startsWith('/') ? rel(a) : a)).join(' ')}`);
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const out = r.stdout ?? '';
    process.stdout.write(out);
    if (r.status !== 0) console.log(`WARNING: the memory child exited ${r.status}`);
    const perSender = /sender table's arrays: .*? = (\d+) bytes per tracked sender/.exec(out);
    if (perSender !== null) verdicts.push({ target: `≤ ${TARGET_BYTES_PER_SENDER} bytes per tracked sender`, figure: `${perSender[1]} bytes (the sender table's arrays, at max_senders)`, met: Number(perSender[1]) <= TARGET_BYTES_PER_SENDER });
    const rss = [...out.matchAll(/after +[\d,]+ frames +rss +([\d.]+) MiB/g)].map((x) => Number(x[1]));
    if (rss.length > 1) {
      const flat = Math.max(...rss) <= rss[0] * (1 + RSS_FLAT_SHARE);
      verdicts.push({ target: `RSS flat under the 1M-spoofed-sender flood (each checkpoint within ${RSS_FLAT_SHARE * 100} % of the first)`, figure: `${rss.map((x) => x.toFixed(1)).join(', ')} MiB`, met: flat });
    }
  }
  if (!cli.values['no-inventory']) {
    console.log('');
    const figures = await inventoryFigures(invParams.servers, Math.min(RUNS, 3));
    for (const l of figures.lines) console.log(l);
    verdicts.push(...figures.verdicts);
  }
  console.log('');
  console.log(`issue 12, this run (${new Date().toISOString()}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at the end):`);
  console.log('| target | this run | |');
  console.log('| --- | --- | --- |');
  for (const v of verdicts) console.log(`| ${v.target} | ${v.figure} | ${v.met ? 'met' : '**not met**'} |`);

  if (cli.values.stages) await stages(cap.file, loadInventory(inv.file), e.frames);

  if (cli.values.profile) {
    const dir = path.join(ROOT, 'bench', 'out', 'prof-detect');
    fs.rmSync(dir, { recursive: true, force: true });
    const js = compileChild(child);
    if (js !== null) {
      const args = ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250', js, 'replay', '--capture', cap.file, '--inventory', inv.file, '--runs', '3'];
      console.log('');
      console.log(`profile: node ${args.map((a) => (a.startsWith('/') ? rel(a) : a)).join(' ')}`);
      const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) console.log(`WARNING: the profiled child exited ${r.status}`);
      const profiles = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
      const main = profiles.map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
      if (main === undefined) console.log('WARNING: no .cpuprofile written');
      else profileTop(main, 25);
    }
  }
  if (overBudget) {
    console.log(`FAILED: steady-state detection allocates more than its budget of ${DETECTION_BUDGET_BYTES_PER_FRAME} bytes per frame (see "allocation" above)`);
    process.exitCode = 1;
  }
}

await main();
