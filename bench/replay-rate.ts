/**
 * Replay-rate benchmark (`npm run bench`): how fast arpwarden reads a large ARP
 * capture, against the pcap binding's floor, tcpdump and tshark, on one file
 * generated here (deterministic, see capture.ts) and in one run.
 *
 *   npm run bench                       # 1,000,000 frames, 3 runs per tool
 *   npm run bench -- --frames 200000    # smaller file, for a quick look
 *   npm run bench -- --runs 5 --no-tshark
 *
 * It is a benchmark, not a test: it exits 0 whatever the figures are, and
 * prints a warning when arpwarden's counts disagree with what was generated.
 */
import { vlanKeyOfJson } from '../src/decode/vlan-key.js';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { FileSource } from '../src/capture/file-source.js';
import { FrameBatch, pcap } from '../src/capture/native-capture.js';
import { DEFAULT_SNAPLEN, HEADER_BYTES, libpcapVersion, newNativeSession } from './pcap-binding.js';
import { runPipeline } from '../src/pipeline/pipeline.js';
import {
  benchParams, checkSummary, DEFAULT_FRAMES, DEFAULT_SEED, diff, ensureCapture, type Expected, mib, positiveInt, ROOT, expectedVlanName, warn,
} from './capture.js';

const TARGET_RATIO = 0.5;
/** tshark is slow: one run only when its first one takes longer than this. */
const TSHARK_ONE_RUN_S = 20;
const TCPDUMP_FILTER = 'arp or (vlan and arp)';
const TCPDUMP = 'tcpdump -w /dev/null';

const cli = parseArgs({
  options: {
    frames: { type: 'string', default: String(DEFAULT_FRAMES) },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    runs: { type: 'string', default: '3' },
    'no-tshark': { type: 'boolean', default: false },
    'no-cli': { type: 'boolean', default: false },
  },
  allowPositionals: false,
});
const params = benchParams(positiveInt('frames', cli.values.frames), positiveInt('seed', cli.values.seed));
const RUNS = positiveInt('runs', cli.values.runs);

const cliJsonSchema = z.object({
  frames: z.number(),
  arp: z.object({
    frames: z.number(), untagged: z.number(), single_tagged: z.number(), double_tagged: z.number(), more_tagged: z.number(),
    requests: z.number(), replies: z.number(), gratuitous: z.number(), probes: z.number(),
  }),
  not_arp: z.number(),
  malformed: z.record(z.string(), z.number()),
  vlans: z.array(z.object({ vlan: z.number().nullable(), outer_vlan: z.number().optional(), frames: z.number() })),
});

function checkCliJson(stdout: string, e: Expected): string[] {
  let j: z.infer<typeof cliJsonSchema>;
  try {
    j = cliJsonSchema.parse(JSON.parse(stdout));
  } catch (err) {
    return [`output is not the replay JSON document (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`];
  }
  const got: Record<string, number> = {
    frames: j.frames, 'arp frames': j.arp.frames, untagged: j.arp.untagged, 'single tagged': j.arp.single_tagged,
    'double tagged': j.arp.double_tagged, requests: j.arp.requests, replies: j.arp.replies, gratuitous: j.arp.gratuitous,
    'not arp': j.not_arp, malformed: Object.values(j.malformed).reduce((x, y) => x + y, 0),
  };
  const want: Record<string, number> = {
    frames: e.frames, 'arp frames': e.frames, untagged: e.untagged, 'single tagged': e.singleTagged,
    'double tagged': e.doubleTagged, requests: e.requests, replies: e.replies, gratuitous: e.gratuitous,
    'not arp': 0, malformed: 0,
  };
  const vlans: Record<string, number> = {};
  for (const v of j.vlans) vlans[expectedVlanName(vlanKeyOfJson(v.vlan, v.outer_vlan))] = v.frames;
  return [...diff(got, want), ...diff(vlans, e.vlans, 'vlan ')];
}

// ---------------------------------------------------------------- tools

interface Tool {
  name: string;
  /** for the per-round progress line */
  short: string;
  /** the command line, as a user would type it */
  command: string;
  /** at most this many runs (default: --runs) */
  maxRuns?: number;
  /** one run; returns its wall time in seconds, or null when the tool could not run */
  run: () => Promise<number | null> | number | null;
  /** after the first run: skip the rest when it says so */
  oneRunIf?: (firstSeconds: number) => boolean;
}

function spawnTimed(cmd: string, args: string[]): { seconds: number; status: number | null; stdout: string; stderr: string; error?: Error } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(r.error ? { error: r.error } : {}) };
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

/** dist/ is built from src/ when missing or older than any source file. */
function ensureBuilt(): boolean {
  const main = path.join(ROOT, 'dist', 'cli', 'main.js');
  const newestSrc = newestMtime(path.join(ROOT, 'src'), '.ts');
  // tsc rewrites every output on each build, so main.js dates the whole of dist/
  const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : -1;
  if (built >= newestSrc) return true;
  console.log(`build: dist/ ${built < 0 ? 'missing' : 'older than src/'}: npm run build`);
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    console.log(`WARNING: npm run build failed (status ${r.status}):\n${(r.stdout + r.stderr).split('\n').slice(0, 10).join('\n')}`);
  }
  return fs.existsSync(main);
}

function walk(dir: string, ext: string, visit: (mtimeMs: number) => void): void {
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) walk(p, ext, visit);
    else if (ent.name.endsWith(ext) && !ent.name.endsWith('.test.ts')) visit(fs.statSync(p).mtimeMs);
  }
}

function newestMtime(dir: string, ext: string): number {
  let m = 0;
  walk(dir, ext, (t) => { if (t > m) m = t; });
  return m;
}

async function main(): Promise<void> {
  const tcpdumpVersion = firstLine(spawnTimed('tcpdump', ['--version']).stdout);
  const tsharkVersion = firstLine(spawnTimed('tshark', ['--version']).stdout);
  const nproc = firstLine(spawnTimed('nproc', []).stdout) || String(os.availableParallelism());
  console.log('arpwarden replay-rate benchmark');
  console.log(`  date     ${new Date().toISOString()}`);
  console.log(`  machine  ${nproc} CPUs (nproc), ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.type()} ${os.release()} ${os.arch()}`);
  console.log(`  node     ${process.version}; pcap binding on ${libpcapVersion}`);
  console.log(`  tcpdump  ${tcpdumpVersion || 'not found'}`);
  console.log(`  tshark   ${tsharkVersion || 'not found'}`);

  const { file, expected } = ensureCapture(params);
  const frames = expected.frames;
  console.log(`  file     ${frames.toLocaleString('en-US')} frames: untagged ${expected.untagged}, 802.1Q ${expected.singleTagged}, QinQ ${expected.doubleTagged}; `
    + `requests ${expected.requests}, replies ${expected.replies}; ${expected.senders} senders`);

  const tools: Tool[] = [];

  let summaryChecked = false;
  tools.push({
    name: 'arpwarden replay (in-process)',
    short: 'in-process',
    command: 'runPipeline(new FileSource(FILE))',
    run: async () => {
      const t0 = performance.now();
      const run = await runPipeline(new FileSource(file));
      const seconds = (performance.now() - t0) / 1000;
      if (!summaryChecked) {
        summaryChecked = true;
        warn('arpwarden replay (in-process)', checkSummary(run.summary, expected));
      }
      return seconds;
    },
  });

  if (!cli.values['no-cli'] && ensureBuilt()) {
    let checked = false;
    tools.push({
      name: 'arpwarden replay (CLI, json)',
      short: 'CLI',
      command: 'node dist/cli/main.js replay FILE --format json',
      run: () => {
        const r = spawnTimed(process.execPath, [path.join(ROOT, 'dist', 'cli', 'main.js'), 'replay', file, '--format', 'json']);
        if (r.status !== 0) {
          console.log(`WARNING: arpwarden CLI exited ${r.status}: ${firstLine(r.stderr)}`);
          return null;
        }
        if (!checked) {
          checked = true;
          warn('arpwarden replay (CLI)', checkCliJson(r.stdout, expected));
        }
        return r.seconds;
      },
    });
  }

  tools.push({
    name: 'pcap binding, empty callback',
    short: 'pcap floor',
    command: "open_offline(FILE, '', 0, 65535, '', () => {}, ...) + dispatch()",
    run: () => {
      const t0 = performance.now();
      const session = newNativeSession();
      session.open_offline(file, '', 0, DEFAULT_SNAPLEN, '', () => {}, false, 0, () => {}, false);
      session.dispatch(Buffer.alloc(DEFAULT_SNAPLEN), Buffer.alloc(HEADER_BYTES));
      return (performance.now() - t0) / 1000;
    },
  });

  tools.push({
    name: 'arpwarden addon, batches only',
    short: 'addon floor',
    command: 'pcap.openOffline(FILE) + readBatch() until the end, frames untouched',
    run: () => {
      const t0 = performance.now();
      const { handle, snapLen } = pcap.openOffline(file);
      const batch = new FrameBatch(snapLen);
      while (pcap.readBatch(handle, batch.data, batch.meta) >= 0);
      pcap.close(handle);
      return (performance.now() - t0) / 1000;
    },
  });

  if (tcpdumpVersion !== '') {
    tools.push({
      name: TCPDUMP,
      short: 'tcpdump',
      command: `tcpdump -r FILE -w /dev/null '${TCPDUMP_FILTER}'`,
      run: () => {
        const r = spawnTimed('tcpdump', ['-r', file, '-w', '/dev/null', TCPDUMP_FILTER]);
        if (r.status !== 0) {
          console.log(`WARNING: tcpdump exited ${r.status}: ${firstLine(r.stderr) || r.error?.message}`);
          return null;
        }
        return r.seconds;
      },
    });
  }

  if (tsharkVersion !== '' && !cli.values['no-tshark']) {
    tools.push({
      name: 'tshark -q',
      short: 'tshark',
      command: 'tshark -r FILE -q',
      run: () => {
        const r = spawnTimed('tshark', ['-r', file, '-q']);
        if (r.status !== 0) {
          console.log(`WARNING: tshark exited ${r.status}: ${firstLine(r.stderr) || r.error?.message}`);
          return null;
        }
        return r.seconds;
      },
      oneRunIf: (s) => s > TSHARK_ONE_RUN_S,
    });
    // `tshark -q` alone prints nothing and has no tap or filter, so it skips dissection: this line shows the cost of dissecting.
    tools.push({
      name: 'tshark -q -z io,stat,0 (dissects)',
      short: 'tshark -z',
      command: 'tshark -r FILE -q -z io,stat,0',
      maxRuns: 1,
      run: () => {
        const r = spawnTimed('tshark', ['-r', file, '-q', '-z', 'io,stat,0']);
        if (r.status !== 0) {
          console.log(`WARNING: tshark exited ${r.status}: ${firstLine(r.stderr) || r.error?.message}`);
          return null;
        }
        return r.seconds;
      },
    });
  }

  // Rounds, each tool once per round, so that a noisy spell hits every tool rather than one.
  const times = new Map<string, number[]>(tools.map((t) => [t.name, []]));
  const done = new Set<string>();
  for (let round = 0; round < RUNS; round++) {
    const line: string[] = [];
    for (const t of tools) {
      if (done.has(t.name) || round >= (t.maxRuns ?? RUNS)) continue;
      const s = await t.run();
      if (s === null) { done.add(t.name); continue; }
      times.get(t.name)!.push(s);
      line.push(`${t.short} ${s.toFixed(3)}`);
      if (round === 0 && t.oneRunIf?.(s)) {
        done.add(t.name);
        line.push(`(${t.short}: over ${TSHARK_ONE_RUN_S} s, one run only)`);
      }
    }
    console.log(`  run ${round + 1}/${RUNS} (s): ${line.join(', ')}`);
  }

  const best = new Map<string, number>();
  for (const [name, ts] of times) if (ts.length > 0) best.set(name, Math.min(...ts));
  const tcpdumpBest = best.get(TCPDUMP);

  console.log('');
  console.log(`${frames.toLocaleString('en-US')} ARP frames (${mib(fs.statSync(file).size)}), best of ${RUNS} runs; wall time (the CLI, tcpdump and tshark include process start-up)`);
  const nameW = Math.max(...tools.map((t) => t.name.length)) + 2;
  console.log(`${'tool'.padEnd(nameW)}${'best'.padStart(9)}${'frames/s'.padStart(18)}${'vs tcpdump'.padStart(17)}    all runs (s)`);
  for (const t of tools) {
    const b = best.get(t.name);
    const runs = (times.get(t.name) ?? []).map((x) => x.toFixed(3)).join(' ');
    if (b === undefined) {
      console.log(`${t.name.padEnd(nameW)}${'failed'.padStart(9)}`);
      continue;
    }
    const rate = `${(frames / b / 1e6).toFixed(2)} M frames/s`;
    const ratio = tcpdumpBest === undefined ? 'n/a' : `${(tcpdumpBest / b).toFixed(2)}× tcpdump`;
    console.log(`${t.name.padEnd(nameW)}${`${b.toFixed(3)} s`.padStart(9)}${rate.padStart(18)}${ratio.padStart(17)}    ${runs}`);
  }
  console.log('');
  console.log(`FILE = ${path.relative(ROOT, file)}`);
  for (const t of tools) console.log(`  ${t.name.padEnd(nameW)}${t.command}`);
  const inProc = best.get('arpwarden replay (in-process)');
  const verdict = inProc === undefined || tcpdumpBest === undefined ? 'not measured'
    : `${(tcpdumpBest / inProc).toFixed(2)}× — ${tcpdumpBest / inProc >= TARGET_RATIO ? 'MET' : 'NOT MET'}`;
  console.log(`target: arpwarden replay (in-process) at ≥ ${TARGET_RATIO}× tcpdump's frame rate: ${verdict}`);
}

await main();
