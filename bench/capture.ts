/**
 * The benchmark's capture: a deterministic classic pcap of ARP (mixed senders,
 * heavy talkers, untagged / 802.1Q / QinQ, requests and replies), generated
 * into bench/out/ (git-ignored) and reused while its parameters are unchanged,
 * with what arpwarden's traffic summary must count in it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { NO_VLAN } from '../src/decode/arp-packet.js';
import { vlanKey, vlanLabel } from '../src/decode/vlan-key.js';
import type { TrafficSummary } from '../src/pipeline/traffic-summary.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(ROOT, 'bench', 'out');
/** Bump when the generator's output changes for the same parameters (invalidates cached files). */
/** 2: QinQ counted under its outer.inner pair (the capture's bytes are those of 1) */
const GENERATOR_VERSION = 2;

export interface GenParams {
  frames: number;
  seed: number;
  senders: number;
  /** shares of frames by encapsulation: untagged, 802.1Q, QinQ (the rest) */
  untaggedShare: number;
  dot1qShare: number;
  /** share of frames sent by the heavy talkers (1% of the senders of each segment kind) */
  heavyShare: number;
  replyShare: number;
  gratuitousShare: number;
  frameBytes: number;
  startSec: number;
}

export const DEFAULT_FRAMES = 1_000_000;
export const DEFAULT_SEED = 20240601;

export function benchParams(frames = DEFAULT_FRAMES, seed = DEFAULT_SEED): GenParams {
  return {
    frames,
    seed,
    senders: 5000,
    untaggedShare: 0.70,
    dot1qShare: 0.25,
    heavyShare: 0.30,
    replyShare: 0.35,
    gratuitousShare: 0.01,
    frameBytes: 60,
    startSec: 1717200000, // 2024-06-01T00:00:00Z
  };
}

export function positiveInt(name: string, v: string): number {
  const x = Number(v);
  if (!Number.isInteger(x) || x <= 0) throw new Error(`--${name} ${v}: expected a positive integer`);
  return x;
}

// ---------------------------------------------------------------- generator

/** mulberry32: small, fast, deterministic; plenty for traffic shapes. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const enum Encap { UNTAGGED = 0, DOT1Q = 1, QINQ = 2 }

interface Sender {
  ip: number;
  /** 02:5e + the IP: locally administered, one MAC per IP */
  macHi: number;
  macLo: number;
  encap: Encap;
  /** 802.1Q VLAN, or the QinQ outer (S-) VLAN */
  outerVlan: number;
  /** QinQ inner (C-) VLAN */
  innerVlan: number;
}

const DOT1Q_VLANS = [10, 20, 30, 110, 120];
const QINQ_OUTER_VLANS = [1000, 2000];
const QINQ_INNER_VLANS = [201, 202, 203];

/** What the generated file holds, as arpwarden's traffic summary should count it. */
export interface Expected {
  frames: number;
  untagged: number;
  singleTagged: number;
  doubleTagged: number;
  requests: number;
  replies: number;
  gratuitous: number;
  probes: number;
  senders: number;
  /** ARP frames per VLAN ("untagged" for none; QinQ under its outer.inner pair, "1000.201") */
  vlans: Record<string, number>;
  firstTsMicros: number;
  lastTsMicros: number;
}

interface Meta { version: number; params: GenParams; bytes: number; expected: Expected }

const metaSchema = z.object({
  version: z.number(),
  params: z.object({
    frames: z.number(), seed: z.number(), senders: z.number(), untaggedShare: z.number(), dot1qShare: z.number(),
    heavyShare: z.number(), replyShare: z.number(), gratuitousShare: z.number(), frameBytes: z.number(), startSec: z.number(),
  }),
  bytes: z.number(),
  expected: z.object({
    frames: z.number(), untagged: z.number(), singleTagged: z.number(), doubleTagged: z.number(),
    requests: z.number(), replies: z.number(), gratuitous: z.number(), probes: z.number(), senders: z.number(),
    vlans: z.record(z.string(), z.number()),
    firstTsMicros: z.number(), lastTsMicros: z.number(),
  }),
});

/** Sender addresses: the three documentation /24s, then 100.64.0.0/10 (shared address space), hosts .1 to .253 of each /24;
 * .254 of each /24 is its gateway. */
function senderAddresses(n: number): number[] {
  const nets = [0xc0000200, 0xc6336400, 0xcb007100]; // 192.0.2.0, 198.51.100.0, 203.0.113.0
  const out: number[] = [];
  for (let i = 0; out.length < n; i++) {
    const net = i < nets.length ? nets[i] : 0x64400000 + (i - nets.length) * 256; // 100.64.x.y.0
    if (i >= nets.length && net > 0x647fff00) throw new Error('too many senders for 100.64.0.0/10');
    for (let h = 1; h <= 253 && out.length < n; h++) out.push((net | h) >>> 0);
  }
  return out;
}

function makeSenders(p: GenParams, rnd: () => number): Sender[][] {
  const ips = senderAddresses(p.senders);
  // Fisher-Yates, so that each segment kind gets addresses from every range
  for (let i = ips.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = ips[i]; ips[i] = ips[j]; ips[j] = t;
  }
  const nUntagged = Math.round(p.senders * p.untaggedShare);
  const nDot1q = Math.round(p.senders * p.dot1qShare);
  const pools: Sender[][] = [[], [], []];
  ips.forEach((ip, i) => {
    const encap = i < nUntagged ? Encap.UNTAGGED : i < nUntagged + nDot1q ? Encap.DOT1Q : Encap.QINQ;
    const k = pools[encap].length;
    pools[encap].push({
      ip,
      macHi: 0x025e,
      macLo: ip,
      encap,
      outerVlan: encap === Encap.DOT1Q ? DOT1Q_VLANS[k % DOT1Q_VLANS.length] : encap === Encap.QINQ ? QINQ_OUTER_VLANS[k % QINQ_OUTER_VLANS.length] : 0,
      innerVlan: encap === Encap.QINQ ? QINQ_INNER_VLANS[k % QINQ_INNER_VLANS.length] : 0,
    });
  });
  return pools;
}

/** Writes the whole capture into one Buffer: 24-byte global header, then 16-byte record + 60-byte frame each. */
function generate(p: GenParams): { bytes: Buffer; expected: Expected } {
  const rnd = mulberry32(p.seed);
  const pools = makeSenders(p, rnd);
  const heavy = pools.map((pool) => Math.max(1, Math.floor(pool.length / 100)));
  const recordBytes = 16 + p.frameBytes;
  const buf = Buffer.alloc(24 + p.frames * recordBytes); // zero-filled: padding and unused MACs stay 0
  // global header, little-endian, microsecond timestamps
  buf.writeUInt32LE(0xa1b2c3d4, 0);
  buf.writeUInt16LE(2, 4);
  buf.writeUInt16LE(4, 6);
  buf.writeInt32LE(0, 8); // thiszone
  buf.writeUInt32LE(0, 12); // sigfigs
  buf.writeUInt32LE(65535, 16); // snaplen
  buf.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET

  const exp: Expected = {
    frames: 0, untagged: 0, singleTagged: 0, doubleTagged: 0, requests: 0, replies: 0, gratuitous: 0, probes: 0,
    senders: 0, vlans: {}, firstTsMicros: -1, lastTsMicros: -1,
  };
  const perVlan = new Map<number, number>();
  const seen = new Set<number>();
  let ts = p.startSec * 1e6;
  let o = 24;
  for (let i = 0; i < p.frames; i++) {
    const r = rnd();
    const encap = r < p.untaggedShare ? Encap.UNTAGGED : r < p.untaggedShare + p.dot1qShare ? Encap.DOT1Q : Encap.QINQ;
    const pool = pools[encap];
    const s = rnd() < p.heavyShare ? pool[Math.floor(rnd() * heavy[encap])] : pool[Math.floor(rnd() * pool.length)];
    const net = (s.ip & 0xffffff00) >>> 0;
    let op: number;
    let targetIp: number;
    let targetMacHi = 0;
    let targetMacLo = 0;
    let dstHi = 0xffff;
    let dstLo = 0xffffffff;
    const kind = rnd();
    if (kind < p.gratuitousShare) {
      op = 1; targetIp = s.ip; // announcement: who-has F tell F
    } else if (kind < p.gratuitousShare + p.replyShare) {
      // reply to a neighbour's request: target = the asker, unicast to it
      op = 2;
      let h = 1 + Math.floor(rnd() * 253);
      if ((net | h) >>> 0 === s.ip) h = h === 253 ? 1 : h + 1;
      targetIp = (net | h) >>> 0;
      targetMacHi = 0x025e; targetMacLo = targetIp;
      dstHi = targetMacHi; dstLo = targetMacLo;
    } else {
      // request for the gateway (.254) or a neighbour
      op = 1;
      const h = rnd() < 0.5 ? 254 : 1 + Math.floor(rnd() * 253);
      targetIp = (net | h) >>> 0;
      if (targetIp === s.ip) targetIp = (net | 254) >>> 0;
    }

    // record header
    buf.writeUInt32LE(Math.floor(ts / 1e6), o);
    buf.writeUInt32LE(ts % 1e6, o + 4);
    buf.writeUInt32LE(p.frameBytes, o + 8);
    buf.writeUInt32LE(p.frameBytes, o + 12);
    if (exp.firstTsMicros < 0) exp.firstTsMicros = ts;
    exp.lastTsMicros = ts;
    ts += 500 + Math.floor(rnd() * 1001); // 0.5 to 1.5 ms, 1 ms on average
    o += 16;

    // Ethernet
    const f = o;
    buf.writeUInt16BE(dstHi, f); buf.writeUInt32BE(dstLo, f + 2);
    buf.writeUInt16BE(s.macHi, f + 6); buf.writeUInt32BE(s.macLo, f + 8);
    let e = f + 12;
    let vlan = NO_VLAN;
    if (encap === Encap.DOT1Q) {
      buf.writeUInt16BE(0x8100, e); buf.writeUInt16BE(s.outerVlan, e + 2); e += 4;
      vlan = s.outerVlan;
      exp.singleTagged++;
    } else if (encap === Encap.QINQ) {
      buf.writeUInt16BE(0x88a8, e); buf.writeUInt16BE(s.outerVlan, e + 2);
      buf.writeUInt16BE(0x8100, e + 4); buf.writeUInt16BE(s.innerVlan, e + 6); e += 8;
      vlan = vlanKey(2, s.outerVlan, s.innerVlan);
      exp.doubleTagged++;
    } else {
      exp.untagged++;
    }
    buf.writeUInt16BE(0x0806, e);
    // ARP for Ethernet/IPv4
    const a = e + 2;
    buf.writeUInt16BE(1, a); buf.writeUInt16BE(0x0800, a + 2); buf[a + 4] = 6; buf[a + 5] = 4;
    buf.writeUInt16BE(op, a + 6);
    buf.writeUInt16BE(s.macHi, a + 8); buf.writeUInt32BE(s.macLo, a + 10);
    buf.writeUInt32BE(s.ip, a + 14);
    buf.writeUInt16BE(targetMacHi, a + 18); buf.writeUInt32BE(targetMacLo, a + 20);
    buf.writeUInt32BE(targetIp, a + 24);
    o += p.frameBytes;

    exp.frames++;
    if (op === 1) exp.requests++; else exp.replies++;
    if (targetIp === s.ip) exp.gratuitous++;
    perVlan.set(vlan, (perVlan.get(vlan) ?? 0) + 1);
    seen.add(s.ip);
  }
  exp.senders = seen.size;
  for (const [v, n] of [...perVlan.entries()].sort((x, y) => x[0] - y[0])) exp.vlans[expectedVlanName(v)] = n;
  return { bytes: buf, expected: exp };
}

/** A VLAN key (src/decode/vlan-key.ts) as the expectations name it: "untagged", "110", "1000.201". */
export function expectedVlanName(v: number | null): string {
  return v === null || v === NO_VLAN ? 'untagged' : vlanLabel(v);
}

function sameParams(a: GenParams, b: GenParams): boolean {
  return (Object.keys(a) as (keyof GenParams)[]).every((k) => a[k] === b[k]);
}

/** The capture for `p`: reused from bench/out/ when its parameters and size match, else generated. */
export function ensureCapture(p: GenParams): { file: string; expected: Expected } {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const base = path.join(OUT_DIR, `arp-${p.frames}-seed${p.seed}`);
  const file = `${base}.pcap`;
  const metaFile = `${base}.json`;
  try {
    const meta = metaSchema.parse(JSON.parse(fs.readFileSync(metaFile, 'utf8')));
    if (meta.version === GENERATOR_VERSION && sameParams(meta.params, p) && fs.statSync(file).size === meta.bytes) {
      console.log(`capture: reusing ${path.relative(ROOT, file)} (${mib(meta.bytes)})`);
      return { file, expected: meta.expected };
    }
  } catch {
    // no file, unreadable, or other parameters: generate
  }
  const t0 = performance.now();
  const { bytes, expected } = generate(p);
  const t1 = performance.now();
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
  const meta: Meta = { version: GENERATOR_VERSION, params: p, bytes: bytes.length, expected };
  fs.writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
  console.log(`capture: generated ${path.relative(ROOT, file)} (${mib(bytes.length)}) in ${((t1 - t0) / 1000).toFixed(2)} s, written in ${((performance.now() - t1) / 1000).toFixed(2)} s`);
  return { file, expected };
}

export function mib(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

// ---------------------------------------------------------------- checks

/** What the count checks read of a traffic summary, as plain data (a bench's child process prints it as JSON). */
export interface SummaryCounts {
  frames: number;
  arpFrames: number;
  byDepth: readonly number[];
  notArp: number;
  requests: number;
  replies: number;
  gratuitous: number;
  probes: number;
  malformed: number;
  firstTs: number;
  lastTs: number;
  vlans: readonly (readonly [vlan: number | null, frames: number])[];
}

export function summaryCounts(s: TrafficSummary): SummaryCounts {
  return {
    frames: s.frames, arpFrames: s.arpFrames, byDepth: Array.from(s.byDepth), notArp: s.results[1],
    requests: s.requests, replies: s.replies, gratuitous: s.gratuitous, probes: s.probes,
    malformed: Object.values(s.malformed()).reduce((x, y) => x + y, 0), firstTs: s.firstTs, lastTs: s.lastTs,
    vlans: s.vlans().map((v) => [v.vlan, v.frames] as const),
  };
}

export function checkSummary(s: TrafficSummary, e: Expected): string[] {
  return checkCounts(summaryCounts(s), e);
}

export function checkCounts(c: SummaryCounts, e: Expected): string[] {
  const got: Record<string, number> = {
    frames: c.frames, 'arp frames': c.arpFrames, untagged: c.byDepth[0], 'single tagged': c.byDepth[1],
    'double tagged': c.byDepth[2], 'more tagged': c.byDepth[3], 'not arp': c.notArp,
    requests: c.requests, replies: c.replies, gratuitous: c.gratuitous, probes: c.probes,
    malformed: c.malformed, 'first ts': c.firstTs, 'last ts': c.lastTs,
  };
  const want: Record<string, number> = {
    frames: e.frames, 'arp frames': e.frames, untagged: e.untagged, 'single tagged': e.singleTagged,
    'double tagged': e.doubleTagged, 'more tagged': 0, 'not arp': 0,
    requests: e.requests, replies: e.replies, gratuitous: e.gratuitous, probes: e.probes,
    malformed: 0, 'first ts': e.firstTsMicros, 'last ts': e.lastTsMicros,
  };
  const vlans: Record<string, number> = {};
  for (const [vlan, frames] of c.vlans) vlans[expectedVlanName(vlan)] = frames;
  return [...diff(got, want), ...diff(vlans, e.vlans, 'vlan ')];
}

export function diff(got: Record<string, number>, want: Record<string, number>, prefix = ''): string[] {
  const keys = new Set([...Object.keys(got), ...Object.keys(want)]);
  const out: string[] = [];
  for (const k of keys) if ((got[k] ?? 0) !== (want[k] ?? 0)) out.push(`${prefix}${k}: got ${got[k] ?? 0}, generated ${want[k] ?? 0}`);
  return out;
}

export function warn(what: string, problems: string[]): void {
  if (problems.length === 0) {
    console.log(`  check    ${what}: counts match the generated capture`);
    return;
  }
  console.log(`WARNING: ${what}: counts disagree with the generated capture:`);
  for (const p of problems.slice(0, 20)) console.log(`  - ${p}`);
  if (problems.length > 20) console.log(`  (${problems.length - 20} more)`);
}
