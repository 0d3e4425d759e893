/**
 * Soak (`npm run bench:soak`, root): a flood of spoofed senders (the flood capture of detect-capture.ts,
 * looped by `tcpreplay --pps RATE --loop 0 --duration SECONDS`) into a veth between two network namespaces
 * for ten minutes, `arpwarden capture` (the built CLI, with the 100,000-server inventory: detection on)
 * on the peer; its RSS sampled every 5 s from /proc. Writes bench/out/soak.json and an SVG plot, and, when
 * Debian's chromium is there, renders the plot to docs/img/soak-rss.png. A benchmark: exits 0 whatever
 * the figures.
 *
 *   npm run bench:soak                              # 600 s at 20,000 frames/s
 *   npm run bench:soak -- --seconds 60 --pps 50000  # a quick look
 *   npm run bench:soak -- --node-arg=--trace-gc      # V8's collections in bench/out/soak-node.log
 */
import { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { NetnsLab, stopChild } from '../test/e2e/netns.js';
import { ROOT, OUT_DIR } from './capture.js';
import { ensureFlood, ensureInventory, floodParams, inventoryParams } from './detect-capture.js';

const cli = parseArgs({ options: { seconds: { type: 'string', default: '600' }, pps: { type: 'string', default: '20000' }, png: { type: 'string', default: path.join(ROOT, 'docs', 'img', 'soak-rss.png') }, 'node-arg': { type: 'string', multiple: true } } });
const SECONDS = Number(cli.values.seconds);
const PPS = Number(cli.values.pps);
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const SAMPLE_MS = 5_000;
/** the capture's lines that are not ours (--node-arg=--trace-gc), each after the seconds since its start */
const NODE_LOG = path.join(OUT_DIR, 'soak-node.log');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The process `timeout` runs (Netns.spawn: ip netns exec execs timeout, which forks the command). */
function commandPid(child: ChildProcess): number {
  const pid = child.pid!;
  const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  if (kids.length !== 1) throw new Error(`expected one child of ${pid}, found ${kids.length}`);
  return kids[0];
}

/** RSS and its parts (anonymous: the heaps; file: code, libraries and the kernel's capture ring, mapped from the socket), MiB. */
interface Rss { rss: number; anon: number; file: number }
/** A sample: seconds since the flood began, RSS, and the incidents open then. */
type Sample = { t: number; open: number } & Rss;

function rssMiB(pid: number): Rss {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return m === null ? NaN : Number(m[1]) / 1024;
  };
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

function svgPlot(samples: readonly Sample[], title: string): string {
  const W = 900, H = 420, L = 70, R = 70, T = 40, B = 50;
  const tMax = Math.max(...samples.map((s) => s.t), 1);
  const yMax = Math.ceil(Math.max(...samples.map((s) => s.rss), 1) / 50) * 50 + 50;
  const openMax = Math.max(1000, Math.ceil(Math.max(...samples.map((s) => s.open)) / 1000) * 1000);
  const x = (t: number): number => L + (t / tMax) * (W - L - R);
  const y = (v: number): number => T + (1 - v / yMax) * (H - T - B);
  const yOpen = (n: number): number => T + (1 - n / openMax) * (H - T - B);
  const path = (v: (s: Sample) => number): string => samples.map((s, i) => `${i === 0 ? 'M' : 'L'}${x(s.t).toFixed(1)},${v(s).toFixed(1)}`).join(' ');
  const yTicks = Array.from({ length: 6 }, (_, i) => (yMax / 5) * i);
  const xStep = tMax > 300 ? 60 : 30;
  const xTicks = Array.from({ length: Math.floor(tMax / xStep) + 1 }, (_, i) => i * xStep);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${L}" y="24" font-size="15">${title}</text>
${yTicks.map((v, i) => `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${L - 8}" y="${y(v) + 4}" text-anchor="end">${Math.round(v)}</text><text x="${W - R + 8}" y="${y(v) + 4}" fill="#d62728">${Math.round((openMax / 5) * i)}</text>`).join('\n')}
${xTicks.map((t) => `<text x="${x(t)}" y="${H - B + 18}" text-anchor="middle">${Math.round(t)}</text>`).join('\n')}
<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">seconds</text>
<text x="16" y="${(T + H - B) / 2}" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle">MiB</text>
<text x="${W - 12}" y="${(T + H - B) / 2}" transform="rotate(90 ${W - 12} ${(T + H - B) / 2})" text-anchor="middle" fill="#d62728">incidents open</text>
<path d="${path((s) => y(s.rss))}" fill="none" stroke="#1f77b4" stroke-width="2"/>
<path d="${path((s) => y(s.anon))}" fill="none" stroke="#2ca02c" stroke-width="1.5"/>
<path d="${path((s) => yOpen(s.open))}" fill="none" stroke="#d62728" stroke-width="1.5" stroke-dasharray="5 3"/>
<text x="${L + 10}" y="${H - B - 10}" fill="#1f77b4">RSS</text><text x="${L + 50}" y="${H - B - 10}" fill="#2ca02c">anonymous (the heaps)</text><text x="${L + 200}" y="${H - B - 10}" fill="#d62728">incidents open (right axis)</text>
</svg>`;
}

async function renderPng(svgFile: string, png: string): Promise<boolean> {
  if (!fs.existsSync('/usr/bin/chromium')) return false;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 420 } });
    await page.goto(`file://${svgFile}`);
    fs.mkdirSync(path.dirname(png), { recursive: true });
    await page.screenshot({ path: png });
  } finally {
    await browser.close();
  }
  return true;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench:soak needs root (network namespaces)');
  const inv = inventoryParams();
  const { file: inventory } = ensureInventory(inv);
  const { file: flood, expected } = ensureFlood(floodParams());
  console.log(`soak: ${path.basename(flood)} (${expected.senders.toLocaleString('en')} spoofed senders) looped at ${PPS.toLocaleString('en')} frames/s for ${SECONDS} s`);
  const lab = new NetnsLab('soak-');
  const samples: Sample[] = [];
  const got: { summary: { frames: number; kernel: { dropped: number } | null } | null } = { summary: null };
  /** incidents opened and resolved so far (the capture's incident lines): the detector's memory follows them */
  const incidents = { opened: 0, resolved: 0 };
  try {
    const [src, cap] = [await lab.namespace('src'), await lab.namespace('cap')];
    await lab.veth({ ns: src, name: 'tx0' }, { ns: cap, name: 'span0' });
    let err = '';
    const spawned = Date.now();
    fs.writeFileSync(NODE_LOG, '');
    const aw = cap.spawn([process.execPath, ...(cli.values['node-arg'] ?? []), CLI, 'capture', '-i', 'span0', '--inventory', inventory, '--format', 'json', '--seconds', String(SECONDS + 120), '--log-format', 'pretty'], { maxSeconds: SECONDS + 180 });
    aw.stderr?.setEncoding('utf8').on('data', (s: string) => { err += s; });
    // the summary is the last line; incident lines before it are not kept (a soak prints many)
    createInterface({ input: aw.stdout! }).on('line', (l) => {
      // what a --node-arg prints (--trace-gc) goes to a log; V8 writes it past Node's stream, even into our lines
      const at = l.indexOf('{"event":');
      if (at !== 0) fs.appendFileSync(NODE_LOG, `${(Date.now() - spawned) / 1000} ${at > 0 ? l.slice(0, at) : l}\n`);
      if (at < 0) return;
      const event = /^\{"event":"(\w+)"/.exec(l.slice(at))?.[1];
      if (event === 'summary') {
        try {
          got.summary = JSON.parse(l.slice(at)) as typeof got.summary;
        } catch {
          console.log('  (the summary line was cut by V8\'s output: no summary)');
        }
      } else if (event === 'incident_opened') incidents.opened++;
      else if (event === 'incident_resolved') incidents.resolved++;
    });
    while (!/capturing on span0/.test(err)) {
      if (aw.exitCode !== null) throw new Error(`capture exited: ${err}`);
      await sleep(100);
    }
    const pid = commandPid(aw);
    const start = Date.now();
    const replay = src.exec(['tcpreplay', '-i', 'tx0', '--pps', String(PPS), '--loop', '0', '--duration', String(SECONDS), flood], { allowFailure: true, timeoutMs: (SECONDS + 60) * 1000 });
    let done = false;
    void replay.then(() => { done = true; });
    while (!done) {
      const t = (Date.now() - start) / 1000;
      samples.push({ t, open: incidents.opened - incidents.resolved, ...rssMiB(pid) });
      const last = samples.at(-1)!;
      if (samples.length % 12 === 0) console.log(`  ${Math.round(t)} s: RSS ${last.rss.toFixed(0)} MiB (anonymous ${last.anon.toFixed(0)}, file ${last.file.toFixed(0)}), ${last.open} incidents open`);
      await sleep(SAMPLE_MS);
    }
    samples.push({ t: (Date.now() - start) / 1000, open: incidents.opened - incidents.resolved, ...rssMiB(pid) });
    await stopChild(aw, 'SIGTERM', 30_000);
  } finally {
    await lab.cleanup();
  }
  const summary = got.summary;
  const warm = samples.filter((s) => s.t >= 60);
  const flat = warm.length > 1 ? { first: warm[0].rss, last: warm.at(-1)!.rss, max: Math.max(...warm.map((s) => s.rss)) } : null;
  const result = { seconds: SECONDS, pps: PPS, senders: expected.senders, frames: summary?.frames ?? null, kernel_dropped: summary?.kernel?.dropped ?? null, samples, after_warmup: flat };
  fs.writeFileSync(path.join(OUT_DIR, 'soak.json'), JSON.stringify(result, null, 1));
  const svg = path.join(OUT_DIR, 'soak-rss.svg');
  fs.writeFileSync(svg, svgPlot(samples, `arpwarden capture RSS under a spoofed-sender flood, ${PPS.toLocaleString('en')} frames/s, ${SECONDS} s`));
  console.log(`frames captured ${summary?.frames?.toLocaleString('en') ?? '?'}, kernel drops ${summary?.kernel?.dropped?.toLocaleString('en') ?? '?'}`);
  if (flat !== null) console.log(`RSS after the first minute: ${flat.first.toFixed(0)} MiB at 60 s, ${flat.last.toFixed(0)} MiB at the end, ${flat.max.toFixed(0)} MiB at most`);
  if (await renderPng(svg, cli.values.png)) console.log(`plot: ${path.relative(ROOT, cli.values.png)}`);
}

main().catch((e: unknown) => {
  console.error(`bench:soak: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
