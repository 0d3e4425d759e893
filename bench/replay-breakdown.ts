/**
 * Where the in-process replay's time goes, stage by stage, on the benchmark's
 * capture (the same file as replay-rate.ts):
 *
 *   npx tsx bench/replay-breakdown.ts [--frames N] [--runs N]
 *
 * The first stages add arpwarden's real code one piece at a time (binding →
 * FileSource → decodeFrame → TrafficSummary). The "what if" stages are
 * bench-only prototypes of changes proposed for src/ (see bench/README.md):
 * they show what each change would buy before anyone edits src/.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { FileSource } from '../src/capture/file-source.js';
import type { FrameHandler } from '../src/capture/frame-source.js';
import { DEFAULT_SNAPLEN, HEADER_BYTES, newNativeSession } from '../src/capture/pcap-binding.js';
import { ARP_REQUEST, ArpPacket } from '../src/decode/arp-packet.js';
import { decodeFrame, reachedArp } from '../src/decode/decode-frame.js';
import { DecodeResult, RESULT_COUNT } from '../src/decode/decode-result.js';
import { TrafficSummary } from '../src/pipeline/traffic-summary.js';
import { benchParams, checkSummary, DEFAULT_FRAMES, DEFAULT_SEED, ensureCapture, positiveInt, warn } from './capture.js';

const cli = parseArgs({
  options: {
    frames: { type: 'string', default: String(DEFAULT_FRAMES) },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    runs: { type: 'string', default: '5' },
  },
});
const RUNS = positiveInt('runs', cli.values.runs);
const { file, expected } = ensureCapture(benchParams(positiveInt('frames', cli.values.frames), positiveInt('seed', cli.values.seed)));

// ------------------------------------------------------------ what-if prototypes

/** TrafficSummary.observe's counting with typed arrays instead of Maps: a 4096-slot
 * VLAN table and an open-addressing talker table (same cap, same answers). */
class TypedSummary {
  static readonly SLOTS = 1 << 17; // 2 × MAX_TRACKED_TALKERS: load ≤ 0.5
  frames = 0;
  firstTs = -1;
  lastTs = -1;
  readonly results = new Float64Array(RESULT_COUNT);
  readonly byDepth = new Float64Array(4);
  requests = 0;
  replies = 0;
  gratuitous = 0;
  probes = 0;
  untagged = 0;
  readonly perVlan = new Float64Array(4096);
  /** slot → index + 1 of the talker (0: empty) */
  readonly slot = new Int32Array(TypedSummary.SLOTS);
  readonly ip = new Uint32Array(65_536);
  readonly tFrames = new Float64Array(65_536);
  readonly tMac = new Float64Array(65_536);
  readonly tMacs = new Uint32Array(65_536);
  talkers = 0;
  untrackedSenderFrames = 0;

  observe(result: DecodeResult, p: Readonly<ArpPacket>): void {
    this.frames++;
    if (this.firstTs < 0) this.firstTs = p.tsMicros;
    this.lastTs = p.tsMicros;
    this.results[result]++;
    if (!reachedArp(result)) return;
    const depth = p.vlanDepth;
    this.byDepth[depth < 3 ? depth : 3]++;
    if (depth === 0) this.untagged++;
    else this.perVlan[(depth === 1 ? p.outerTci : p.innerTci) & 0xfff]++;
    if (result !== DecodeResult.ARP) return;
    if (p.op === ARP_REQUEST) this.requests++; else this.replies++;
    if (p.gratuitous) this.gratuitous++;
    if (p.probe) this.probes++;
    const ip = p.senderIp;
    const mask = TypedSummary.SLOTS - 1;
    let h = Math.imul(ip, 0x9e3779b1) >>> 15;
    for (;;) {
      const s = this.slot[h];
      if (s === 0) {
        if (this.talkers === this.ip.length) { this.untrackedSenderFrames++; return; }
        const i = this.talkers++;
        this.slot[h] = i + 1;
        this.ip[i] = ip; this.tFrames[i] = 1; this.tMac[i] = p.senderMac; this.tMacs[i] = 1;
        return;
      }
      if (this.ip[s - 1] === ip) {
        const i = s - 1;
        this.tFrames[i]++;
        if (this.tMac[i] !== p.senderMac) { this.tMac[i] = p.senderMac; this.tMacs[i]++; }
        return;
      }
      h = (h + 1) & mask;
    }
  }
}

/** A FileSource.onPacket that reads the header through a Uint32Array view
 * instead of Buffer#readUInt32LE (which validates its offset on every call). */
function bindingWithTypedHeader(onFrame: FrameHandler): void {
  const session = newNativeSession();
  const buf = Buffer.alloc(DEFAULT_SNAPLEN);
  const header = Buffer.alloc(HEADER_BYTES);
  const h32 = new Uint32Array(header.buffer, header.byteOffset, 4); // Buffer.alloc(16) is unpooled: offset 0, aligned
  const limit = buf.length;
  session.open_offline(file, '', 0, DEFAULT_SNAPLEN, '', () => {
    const capLen = h32[2];
    onFrame(buf, capLen > limit ? limit : capLen, h32[3], h32[0] * 1e6 + h32[1]);
  }, false, 0, () => {}, false);
  session.dispatch(buf, header);
}

/** Classic pcap read in JS, 8 MiB at a time: no native→JS call per frame
 * (what a batched dispatch in the binding would give). Little-endian µs files only. */
function jsPcapReader(onFrame: FrameHandler): void {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafeSlow(8 << 20);
    const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let filled = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (dv.getUint32(0, true) !== 0xa1b2c3d4) throw new Error('prototype reads little-endian µs pcap only');
    let o = 24;
    for (;;) {
      const capLen = filled - o >= 16 ? dv.getUint32(o + 8, true) : -1;
      if (capLen < 0 || filled - o < 16 + capLen) {
        // move the tail down and refill
        chunk.copy(chunk, 0, o, filled);
        filled -= o;
        o = 0;
        const n = fs.readSync(fd, chunk, filled, chunk.length - filled, null);
        if (n === 0) return;
        filled += n;
        continue;
      }
      onFrame(chunk.subarray(o + 16, o + 16 + capLen), capLen, dv.getUint32(o + 12, true),
        dv.getUint32(o, true) * 1e6 + dv.getUint32(o + 4, true));
      o += 16 + capLen;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function decodeOnly(linkType: number): FrameHandler {
  const packet = new ArpPacket();
  return (frame, capLen, wireLen, ts) => { decodeFrame(frame, capLen, wireLen, linkType, ts, packet); };
}

function withSummary(linkType: number, summary: { observe(r: DecodeResult, p: Readonly<ArpPacket>): void }): FrameHandler {
  const packet = new ArpPacket();
  return (frame, capLen, wireLen, ts) => { summary.observe(decodeFrame(frame, capLen, wireLen, linkType, ts, packet), packet); };
}

// ------------------------------------------------------------ stages

interface Stage { name: string; run: () => Promise<unknown> | unknown }

let checked = false;
const stages: Stage[] = [
  {
    name: 'binding, empty callback (floor)',
    run: () => {
      const s = newNativeSession();
      s.open_offline(file, '', 0, DEFAULT_SNAPLEN, '', () => {}, false, 0, () => {}, false);
      s.dispatch(Buffer.alloc(DEFAULT_SNAPLEN), Buffer.alloc(HEADER_BYTES));
    },
  },
  { name: 'what if: typed header, no-op handler', run: () => bindingWithTypedHeader(() => {}) },
  { name: 'FileSource, no-op handler', run: () => new FileSource(file).run(() => {}) },
  { name: 'FileSource + decodeFrame', run: () => new FileSource(file).run(decodeOnly(1)) },
  {
    name: 'FileSource + decode + TrafficSummary',
    run: async () => {
      const summary = new TrafficSummary();
      await new FileSource(file).run(withSummary(1, summary));
      if (!checked) { checked = true; warn('FileSource + decode + TrafficSummary', checkSummary(summary, expected)); }
    },
  },
  { name: 'what if: typed summary (FileSource)', run: () => new FileSource(file).run(withSummary(1, new TypedSummary())) },
  { name: 'what if: typed header + typed summary', run: () => bindingWithTypedHeader(withSummary(1, new TypedSummary())) },
  { name: 'what if: JS pcap reader, no-op handler', run: () => jsPcapReader(() => {}) },
  { name: 'what if: JS pcap reader + decodeFrame', run: () => jsPcapReader(decodeOnly(1)) },
  { name: 'what if: JS pcap reader + TrafficSummary', run: () => jsPcapReader(withSummary(1, new TrafficSummary())) },
  { name: 'what if: JS pcap reader + typed summary', run: () => jsPcapReader(withSummary(1, new TypedSummary())) },
];

const times = stages.map((): number[] => []);
for (let r = 0; r < RUNS; r++) {
  for (let i = 0; i < stages.length; i++) {
    const t0 = performance.now();
    await stages[i].run();
    times[i].push((performance.now() - t0) / 1000);
  }
}

// the typed summary must count what the real one counts
{
  const real = new TrafficSummary();
  const typed = new TypedSummary();
  const p = new ArpPacket();
  await new FileSource(file).run((f, c, w, t) => { const res = decodeFrame(f, c, w, 1, t, p); real.observe(res, p); typed.observe(res, p); });
  const same = real.requests === typed.requests && real.replies === typed.replies && real.talkers.size === typed.talkers
    && real.byDepth.every((x, i) => x === typed.byDepth[i]) && (real.perVlan.get(-1) ?? 0) === typed.untagged
    && [...real.perVlan].every(([v, n]) => v === -1 || typed.perVlan[v] === n);
  if (!same) console.log('WARNING: the typed-summary prototype disagrees with TrafficSummary');
}

const frames = expected.frames;
const floor = Math.min(...times[0]);
console.log(`${frames.toLocaleString('en-US')} frames, best of ${RUNS}; ns/frame above the binding's floor`);
const w = Math.max(...stages.map((s) => s.name.length)) + 2;
console.log(`${'stage'.padEnd(w)}${'best'.padStart(9)}${'ns/frame'.padStart(10)}${'above floor'.padStart(13)}${'M frames/s'.padStart(12)}`);
stages.forEach((s, i) => {
  const b = Math.min(...times[i]);
  console.log(`${s.name.padEnd(w)}${`${b.toFixed(3)} s`.padStart(9)}${(b / frames * 1e9).toFixed(0).padStart(10)}`
    + `${((b - floor) / frames * 1e9).toFixed(0).padStart(13)}${(frames / b / 1e6).toFixed(2).padStart(12)}`);
});
