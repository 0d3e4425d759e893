/**
 * The detection benchmark's inputs, generated deterministically into bench/out/
 * (git-ignored) and reused while their parameters are unchanged:
 *
 * - an inventory YAML in the schema of fixtures/inventory.yaml: 100,000 servers
 *   of 1,000 customers in 100.64.0.0/11 (250 a /24, gateway .254 of each /24
 *   held by the router), 200,000 failover IPs in 100.96.0.0/11 (two a server,
 *   one in four with a virtual MAC), RIPE blocks (unsplit and split) in
 *   192.0.2.0/24, portable blocks in 198.51.100.0/24 and 203.0.113.0/24, and
 *   no vRack (the flood's senders come from 100.64.0.0/10);
 * - a capture whose senders are drawn from that inventory: benign ARP for the
 *   gateway from the right MAC (servers, failover aliases from the host's NIC,
 *   VMs from their virtual MAC, block members, portable-block VMs), the
 *   router's replies and its own requests for servers, VM announcements, and
 *   about 1% of each case's population misconfigured (every customer case and
 *   NOC noise), some of it 802.1Q or QinQ tagged;
 * - a flood: distinct random spoofed senders in 100.64.0.0/10 with random
 *   MACs, unanswered broadcast requests.
 *
 * Classic pcap, little-endian, microsecond timestamps, LINKTYPE_ETHERNET, every
 * frame 60 bytes: the layout of bench/capture.ts's file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CASE_IDS, type CaseId } from '../src/classify/verdict.js';
import { ipToString, macToString } from '../src/common/addr.js';
import { mib, OUT_DIR, ROOT } from './capture.js';

/** Bump when a generator's output changes for the same parameters (invalidates cached files). */
const GENERATOR_VERSION = 1;

const FRAME_BYTES = 60;
const RECORD_BYTES = 16 + FRAME_BYTES;
const BROADCAST = 0xffffffffffff;
const TWO_POW_32 = 4294967296;
const SECOND = 1_000_000;

// ---------------------------------------------------------------- parameters

export interface InventoryParams {
  seed: number;
  servers: number;
  customers: number;
  failovers: number;
  /** one failover in `vmacEvery` has a virtual MAC */
  vmacEvery: number;
}

export interface CaptureParams {
  inventory: InventoryParams;
  frames: number;
  /** packet time the capture spans, seconds */
  durationSec: number;
  /** share of the inventory's (non-offending) servers and failover IPs that send ARP during the capture */
  activeShare: number;
  /** share of each case's population that is misconfigured */
  offenderShare: number;
  startSec: number;
}

export interface FloodParams {
  seed: number;
  frames: number;
  /** time between two flood frames, µs */
  gapMicros: number;
  startSec: number;
}

export const DEFAULT_SEED = 20240601;
export const DEFAULT_SERVERS = 100_000;
export const DEFAULT_FRAMES = 1_000_000;

export function inventoryParams(servers = DEFAULT_SERVERS, seed = DEFAULT_SEED): InventoryParams {
  return { seed, servers, customers: Math.max(1, Math.round(servers / 100)), failovers: servers * 2, vmacEvery: 4 };
}

export function captureParams(inv: InventoryParams, frames = DEFAULT_FRAMES, activeShare = 0.25): CaptureParams {
  return { inventory: inv, frames, durationSec: 600, activeShare, offenderShare: 0.01, startSec: 1717200000 };
}

export function floodParams(frames = DEFAULT_FRAMES, seed = DEFAULT_SEED): FloodParams {
  // 50,000 frames a second: a million spoofed senders in 20 s of packet time
  return { seed, frames, gapMicros: 20, startSec: 1717200000 };
}

// ---------------------------------------------------------------- helpers

/** mulberry32 (as bench/capture.ts): small, fast, deterministic. */
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

class Rng {
  private readonly next: () => number;
  constructor(seed: number) { this.next = mulberry32(seed); }
  float(): number { return this.next(); }
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.next() < p; }
  shuffle(a: Int32Array): Int32Array {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }
}

function ip(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function range(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

// ---------------------------------------------------------------- the inventory's layout

/** How a segment's frames reach the span port. */
export const Encap = { UNTAGGED: 0, DOT1Q: 1, QINQ: 2 } as const;
export type Encap = (typeof Encap)[keyof typeof Encap];

interface Segment { encap: Encap; vlan: number; svlan: number }

const SERVERS_PER_SUBNET = 250;
const SERVER_BASE = ip(100, 64, 0, 0);
const FAILOVER_BASE = ip(100, 96, 0, 0);
const FAILOVERS_PER_SUBNET = 254;
const ROUTER_MAC = 0x00005e000101;
const SERVER_MAC_BASE = 0x0cc47a000000;
const VMAC_BASE = 0x020000000000;
const BLOCK_VMAC_BASE = 0x020001000000;
const VM_MAC_BASE = 0x525400000000;

/**
 * The inventory, computed from indices (what the YAML says, without parsing it):
 * server i is .1–.250 of the /24 number i / 250 of 100.64.0.0/11, its gateway
 * .254 of that /24, its VLAN 100 + the /24's number; failover j is .1–.254 of
 * the /24 number j / 254 of 100.96.0.0/11, routed to server j × 7919 mod servers.
 * Segments: of every ten server /24s, six are seen untagged, three 802.1Q, one QinQ.
 */
export class Layout {
  readonly subnets: number;
  readonly segments: Segment[] = [];

  constructor(readonly p: InventoryParams) {
    this.subnets = Math.ceil(p.servers / SERVERS_PER_SUBNET);
    if (this.subnets > 8192) throw new Error('too many servers for 100.64.0.0/11');
    if (Math.ceil(p.failovers / FAILOVERS_PER_SUBNET) > 8192) throw new Error('too many failover IPs for 100.96.0.0/11');
    for (let k = 0; k < this.subnets; k++) {
      const d = k % 10;
      const vlan = 100 + (k % 3900);
      this.segments.push(d < 6 ? { encap: Encap.UNTAGGED, vlan, svlan: 0 }
        : d < 9 ? { encap: Encap.DOT1Q, vlan, svlan: 0 } : { encap: Encap.QINQ, vlan, svlan: 3000 + (k % 2) });
    }
  }

  subnetOf(server: number): number { return Math.floor(server / SERVERS_PER_SUBNET); }
  serverIp(i: number): number { return (SERVER_BASE + this.subnetOf(i) * 256 + 1 + (i % SERVERS_PER_SUBNET)) >>> 0; }
  serverMac(i: number): number { return SERVER_MAC_BASE + i; }
  gatewayOfSubnet(k: number): number { return (SERVER_BASE + k * 256 + 254) >>> 0; }
  serverGateway(i: number): number { return this.gatewayOfSubnet(this.subnetOf(i)); }
  serverVlan(i: number): number { return this.segments[this.subnetOf(i)].vlan; }
  serverSegment(i: number): Segment { return this.segments[this.subnetOf(i)]; }
  serverId(i: number): string { return `srv-${String(i).padStart(6, '0')}`; }
  customerOf(server: number): number { return server % this.p.customers; }
  customerId(c: number): string { return `c-${String(c).padStart(4, '0')}`; }

  failoverIp(j: number): number {
    return (FAILOVER_BASE + Math.floor(j / FAILOVERS_PER_SUBNET) * 256 + 1 + (j % FAILOVERS_PER_SUBNET)) >>> 0;
  }
  failoverServer(j: number): number { return (j * 7919) % this.p.servers; }
  hasVmac(j: number): boolean { return j % this.p.vmacEvery === this.p.vmacEvery - 1; }
  failoverVmac(j: number): number { return VMAC_BASE + j; }
}

/** A RIPE block, unsplit (routed to `server`) or split into members. */
interface BlockSpec { network: number; prefix: number; server: number; split: boolean; members: { ip: number; server: number; vmac: number | null }[] }
interface PortableSpec { network: number; prefix: number; customer: number; server: number }

/** A few blocks in the documentation ranges, hosted by servers spread over the inventory. */
function blocks(l: Layout): { blocks: BlockSpec[]; portable: PortableSpec[] } {
  const srv = (k: number): number => (k * 9973) % l.p.servers;
  const out: BlockSpec[] = [];
  for (let b = 0; b < 4; b++) out.push({ network: ip(192, 0, 2, b * 16), prefix: 28, server: srv(b + 1), split: false, members: [] });
  let n = 0;
  for (let b = 0; b < 2; b++) {
    const network = ip(192, 0, 2, 64 + b * 32);
    const members: BlockSpec['members'] = [];
    for (let h = 1; h <= 14; h++) members.push({ ip: network + h, server: srv(10 + b * 2 + (h % 2)), vmac: h % 3 === 0 ? BLOCK_VMAC_BASE + n++ : null });
    out.push({ network, prefix: 27, server: -1, split: true, members });
  }
  const portable: PortableSpec[] = [];
  for (let b = 0; b < 4; b++) {
    const server = srv(20 + b);
    portable.push({ network: ip(198, 51, 100, b * 16), prefix: 28, customer: l.customerOf(server), server });
  }
  for (let b = 0; b < 2; b++) {
    const server = srv(30 + b);
    portable.push({ network: ip(203, 0, 113, b * 32), prefix: 27, customer: l.customerOf(server), server });
  }
  return { blocks: out, portable };
}

const LOCALES = ['en', 'fr', 'it'] as const;

export function inventoryYaml(l: Layout): string {
  const p = l.p;
  const q = (mac: number): string => `"${macToString(mac)}"`;
  const lines: string[] = [
    `# arpwarden detection benchmark inventory (bench/detect-capture.ts, seed ${p.seed}): generated, do not edit.`,
    `# ${p.servers} servers of ${p.customers} customers in 100.64.0.0/11, ${p.failovers} failover IPs in 100.96.0.0/11`,
    '# (one in four with a virtual MAC), RIPE blocks in 192.0.2.0/24, portable blocks in 198.51.100.0/24 and 203.0.113.0/24.',
    'routers:',
  ];
  for (let k = 0; k < l.subnets; k++) lines.push(`  - { ip: ${ipToString(l.gatewayOfSubnet(k))}, mac: ${q(ROUTER_MAC)} }`);
  lines.push('customers:');
  for (let c = 0; c < p.customers; c++) {
    const id = l.customerId(c);
    lines.push(`  - { id: ${id}, email: noc-${id}@example.net, name: Customer ${id}, locale: ${LOCALES[c % 3]} }`);
  }
  lines.push('servers:');
  for (let i = 0; i < p.servers; i++) {
    lines.push(`  - { id: ${l.serverId(i)}, customer: ${l.customerId(l.customerOf(i))}, ip: ${ipToString(l.serverIp(i))}, mac: ${q(l.serverMac(i))}, `
      + `gateway: ${ipToString(l.serverGateway(i))}, vlan: ${l.serverVlan(i)} }`);
  }
  lines.push('failover_ips:');
  for (let j = 0; j < p.failovers; j++) {
    const vmac = l.hasVmac(j) ? `, virtual_mac: ${q(l.failoverVmac(j))}` : '';
    lines.push(`  - { ip: ${ipToString(l.failoverIp(j))}, server: ${l.serverId(l.failoverServer(j))}${vmac} }`);
  }
  const { blocks: bs, portable } = blocks(l);
  lines.push('blocks:');
  for (const b of bs) {
    const cidr = `${ipToString(b.network)}/${b.prefix}`;
    if (!b.split) {
      lines.push(`  - { cidr: ${cidr}, server: ${l.serverId(b.server)}, split: false }`);
      continue;
    }
    const members = b.members.map((m) => `{ ip: ${ipToString(m.ip)}, server: ${l.serverId(m.server)}${m.vmac === null ? '' : `, virtual_mac: ${q(m.vmac)}`} }`);
    lines.push(`  - { cidr: ${cidr}, split: true, members: [ ${members.join(', ')} ] }`);
  }
  lines.push('portable_blocks:');
  for (const pb of portable) {
    lines.push(`  - { cidr: ${ipToString(pb.network)}/${pb.prefix}, customer: ${l.customerId(pb.customer)}, vlan: ${l.serverVlan(pb.server)} }`);
  }
  lines.push('# no vRack: the flood benchmark sends from all of 100.64.0.0/10', 'vrack: []', '');
  return lines.join('\n');
}

// ---------------------------------------------------------------- frames

/** Frames to write, as columns (one row per frame), sorted by time before writing. */
class Frames {
  n = 0;
  readonly ts: Float64Array;
  readonly op: Uint8Array;
  readonly dst: Float64Array;
  readonly sha: Float64Array;
  readonly spa: Uint32Array;
  readonly tha: Float64Array;
  readonly tpa: Uint32Array;
  readonly encap: Uint8Array;
  readonly vlan: Uint16Array;
  readonly svlan: Uint16Array;

  constructor(readonly capacity: number) {
    this.ts = new Float64Array(capacity);
    this.op = new Uint8Array(capacity);
    this.dst = new Float64Array(capacity);
    this.sha = new Float64Array(capacity);
    this.spa = new Uint32Array(capacity);
    this.tha = new Float64Array(capacity);
    this.tpa = new Uint32Array(capacity);
    this.encap = new Uint8Array(capacity);
    this.vlan = new Uint16Array(capacity);
    this.svlan = new Uint16Array(capacity);
  }

  /** who-has tpa tell spa, from sha (broadcast unless `dst`) */
  request(ts: number, seg: Segment, sha: number, spa: number, tpa: number, dst = BROADCAST): void {
    this.push(ts, seg, 1, dst, sha, spa, 0, tpa);
  }

  /** spa is-at sha, to tha/tpa (unicast) */
  reply(ts: number, seg: Segment, sha: number, spa: number, tha: number, tpa: number): void {
    this.push(ts, seg, 2, tha, sha, spa, tha, tpa);
  }

  private push(ts: number, seg: Segment, op: number, dst: number, sha: number, spa: number, tha: number, tpa: number): void {
    if (this.n === this.capacity) throw new Error(`more than ${this.capacity} frames: raise --frames or lower the inventory size`);
    const i = this.n++;
    this.ts[i] = Math.round(ts);
    this.op[i] = op;
    this.dst[i] = dst;
    this.sha[i] = sha;
    this.spa[i] = spa >>> 0;
    this.tha[i] = tha;
    this.tpa[i] = tpa >>> 0;
    this.encap[i] = seg.encap;
    this.vlan[i] = seg.vlan;
    this.svlan[i] = seg.svlan;
  }

  /** The classic pcap file, frames in time order (ties in insertion order). */
  toPcap(startMicros: number): { bytes: Buffer; firstTs: number; lastTs: number; byEncap: number[] } {
    const n = this.n;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const ts = this.ts;
    order.sort((a, b) => ts[a] - ts[b] || a - b);
    const buf = Buffer.alloc(24 + n * RECORD_BYTES); // zero-filled: padding stays 0
    buf.writeUInt32LE(0xa1b2c3d4, 0);
    buf.writeUInt16LE(2, 4);
    buf.writeUInt16LE(4, 6);
    buf.writeInt32LE(0, 8);
    buf.writeUInt32LE(0, 12);
    buf.writeUInt32LE(65535, 16);
    buf.writeUInt32LE(1, 20);
    const byEncap = [0, 0, 0];
    let o = 24;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const t = startMicros + ts[i];
      buf.writeUInt32LE(Math.floor(t / SECOND), o);
      buf.writeUInt32LE(t % SECOND, o + 4);
      buf.writeUInt32LE(FRAME_BYTES, o + 8);
      buf.writeUInt32LE(FRAME_BYTES, o + 12);
      o += 16;
      writeMac(buf, o, this.dst[i]);
      writeMac(buf, o + 6, this.sha[i]);
      let e = o + 12;
      const encap = this.encap[i];
      byEncap[encap]++;
      if (encap === Encap.DOT1Q) {
        buf.writeUInt16BE(0x8100, e); buf.writeUInt16BE(this.vlan[i], e + 2); e += 4;
      } else if (encap === Encap.QINQ) {
        buf.writeUInt16BE(0x88a8, e); buf.writeUInt16BE(this.svlan[i], e + 2);
        buf.writeUInt16BE(0x8100, e + 4); buf.writeUInt16BE(this.vlan[i], e + 6); e += 8;
      }
      buf.writeUInt16BE(0x0806, e);
      const a = e + 2;
      buf.writeUInt16BE(1, a); buf.writeUInt16BE(0x0800, a + 2); buf[a + 4] = 6; buf[a + 5] = 4;
      buf.writeUInt16BE(this.op[i], a + 6);
      writeMac(buf, a + 8, this.sha[i]);
      buf.writeUInt32BE(this.spa[i], a + 14);
      writeMac(buf, a + 18, this.tha[i]);
      buf.writeUInt32BE(this.tpa[i], a + 24);
      o += FRAME_BYTES;
    }
    return { bytes: buf, firstTs: n > 0 ? startMicros + ts[order[0]] : -1, lastTs: n > 0 ? startMicros + ts[order[n - 1]] : -1, byEncap };
  }
}

function writeMac(buf: Buffer, o: number, mac: number): void {
  buf.writeUInt16BE(Math.floor(mac / TWO_POW_32), o);
  buf.writeUInt32BE(mac >>> 0, o + 2);
}

// ---------------------------------------------------------------- the detection capture

/** The offending IPs generated for each case (an incident of that case is expected on each, and on nothing else). */
export type Offenders = Record<CaseId, number[]>;

export interface CaptureExpected {
  frames: number;
  offenderFrames: number;
  /** distinct benign sender IPs (servers, failovers, block members, portable VMs) that sent ARP */
  benignSenders: number;
  /** distinct sender IPs of the offenders */
  offenderSenders: number;
  untagged: number;
  dot1q: number;
  qinq: number;
  requests: number;
  replies: number;
  firstTsMicros: number;
  lastTsMicros: number;
  offenders: Offenders;
}

/** An active benign sender: its IP, the MAC it must use, the gateway it asks for, its segment. */
interface Talker { ip: number; mac: number; gateway: number; seg: Segment; server: boolean; vm: boolean }

function generateCapture(p: CaptureParams): { bytes: Buffer; expected: CaptureExpected } {
  const l = new Layout(p.inventory);
  const inv = p.inventory;
  const rng = new Rng(inv.seed ^ 0x5eed);
  const f = new Frames(p.frames);
  const D = p.durationSec * SECOND;
  const offenders = Object.fromEntries(CASE_IDS.map((c) => [c, [] as number[]])) as Offenders;
  const offenderIps = new Set<number>();
  const share = (n: number): number => Math.max(1, Math.round(n * p.offenderShare));
  const routerLatency = (): number => rng.int(300, 1500);
  const hostLatency = (): number => rng.int(40, 250);
  /** start of an offender's episode: its frames stay inside [0, D) */
  const episodeStart = (len: number): number => rng.int(0, Math.max(0, D - len - 2 * SECOND));
  const note = (c: CaseId, ipv: number): void => { offenders[c].push(ipv); offenderIps.add(ipv); };

  // ---- offenders, ~1% of each case's population; each IP offends in one way only and sends nothing benign
  const servers = rng.shuffle(range(inv.servers));
  const nNoise = share(inv.servers);
  const nScanners = Math.max(1, Math.round(nNoise * 0.02));
  let si = 0;
  for (; si < nNoise; si++) {
    const s = servers[si];
    const seg = l.serverSegment(s);
    const sip = l.serverIp(s);
    const smac = l.serverMac(s);
    const net = (sip & 0xffffff00) >>> 0;
    note('noise', sip);
    if (si < nScanners) {
      // a sweep of its /24, 5 a second: past the excessive-ARP threshold (120 a window); the servers answer
      let t = episodeStart(52 * SECOND);
      for (let h = 1; h <= SERVERS_PER_SUBNET; h++) {
        const target = (net | h) >>> 0;
        if (target === sip) continue;
        f.request(t, seg, smac, sip, target);
        const owner = l.subnetOf(s) * SERVERS_PER_SUBNET + h - 1;
        if (owner < inv.servers) f.reply(t + hostLatency(), seg, l.serverMac(owner), target, smac, sip);
        t += rng.int(150 * 1000, 250 * 1000);
      }
    } else {
      // a dead neighbour (.251–.253, no server there), asked for once a second, never answered: unresolved ARP
      const target = (net | rng.int(251, 253)) >>> 0;
      let t = episodeStart(45 * SECOND);
      for (let k = 0; k < 40; k++) {
        f.request(t, seg, smac, sip, target);
        t += SECOND + rng.int(0, 3000);
      }
    }
  }

  const aliasIdx: number[] = [];
  const vmacIdx: number[] = [];
  const fos = rng.shuffle(range(inv.failovers));
  for (const j of fos) (l.hasVmac(j) ? vmacIdx : aliasIdx).push(j);
  let ai = 0;
  let vi = 0;
  const nAlias = share(aliasIdx.length);
  const nVmac = share(vmacIdx.length);
  /** 15 requests 1.5 to 2.5 s apart (the host retries as its traffic keeps coming) */
  const burst = (emit: (t: number, k: number) => void, count = 15, gap: [number, number] = [1500, 2500]): void => {
    let t = episodeStart(count * gap[1] * 1000);
    for (let k = 0; k < count; k++) {
      emit(t, k);
      t += rng.int(gap[0], gap[1]) * 1000;
    }
  };
  // case 1: alias with a /24 netmask, asking from the host's NIC for its neighbours in 100.96.x.0/24; nobody answers
  for (let k = 0; k < nAlias; k++, ai++) {
    const j = aliasIdx[ai];
    const s = l.failoverServer(j);
    const fip = l.failoverIp(j);
    note('alias-netmask', fip);
    const net = (fip & 0xffffff00) >>> 0;
    burst((t) => {
      let h = rng.int(1, 254);
      if (((net | h) >>> 0) === fip) h = h === 254 ? 1 : h + 1;
      f.request(t, l.serverSegment(s), l.serverMac(s), fip, (net | h) >>> 0);
    });
  }
  // case 3: a VM bridged without virtual MAC (unknown MAC) asking for the host's gateway; the router does not answer
  for (let k = 0; k < nAlias; k++, ai++) {
    const j = aliasIdx[ai];
    const s = l.failoverServer(j);
    const fip = l.failoverIp(j);
    note('vm-nat-gateway', fip);
    const vmMac = VM_MAC_BASE + 0x800000 + j;
    burst((t) => f.request(t, l.serverSegment(s), vmMac, fip, l.serverGateway(s)));
  }
  // duplicate: routed to server B, left configured on server A; both NICs ask for their gateway in turn, answered
  for (let k = 0; k < nAlias; k++, ai++) {
    const j = aliasIdx[ai];
    const b = l.failoverServer(j);
    const a = (b + 1 + rng.int(0, inv.servers - 2)) % inv.servers;
    const fip = l.failoverIp(j);
    note('duplicate-ip', fip);
    burst((t, n) => {
      const srv = n % 2 === 0 ? a : b;
      const seg = l.serverSegment(srv);
      f.request(t, seg, l.serverMac(srv), fip, l.serverGateway(srv), ROUTER_MAC);
      f.reply(t + routerLatency(), seg, ROUTER_MAC, l.serverGateway(srv), l.serverMac(srv), fip);
    }, 16, [500, 1200]);
  }
  // case 2, wrong gateway: the VM uses its /24's .254 as gateway, from its virtual MAC; never answered
  for (let k = 0; k < nVmac; k++, vi++) {
    const j = vmacIdx[vi];
    const s = l.failoverServer(j);
    const fip = l.failoverIp(j);
    note('vmac-gateway', fip);
    let wrong = ((fip & 0xffffff00) | 254) >>> 0;
    if (wrong === fip) wrong = ((fip & 0xffffff00) | 1) >>> 0;
    burst((t) => f.request(t, l.serverSegment(s), l.failoverVmac(j), fip, wrong));
  }
  // case 2, virtual MAC missing: the VM is bridged with another MAC, asks for the right gateway, is answered
  for (let k = 0; k < nVmac; k++, vi++) {
    const j = vmacIdx[vi];
    const s = l.failoverServer(j);
    const fip = l.failoverIp(j);
    note('vmac-missing', fip);
    const vmMac = VM_MAC_BASE + j;
    const seg = l.serverSegment(s);
    burst((t) => {
      f.request(t, seg, vmMac, fip, l.serverGateway(s));
      f.reply(t + routerLatency(), seg, ROUTER_MAC, l.serverGateway(s), vmMac, fip);
    }, 15, [1000, 2000]);
  }

  const { blocks: bs, portable } = blocks(l);
  // case 1a: a member of the first unsplit block with a /24 netmask asks for 192.0.2.x outside the block; its network and broadcast used as senders
  const ub = bs[0];
  {
    const seg = l.serverSegment(ub.server);
    const mac = l.serverMac(ub.server);
    const member = ub.network + 5;
    const bcast = ub.network + (1 << (32 - ub.prefix)) - 1;
    note('block-netmask', member);
    note('block-netmask', ub.network);
    note('block-netmask', bcast);
    burst((t) => f.request(t, seg, mac, member, ip(192, 0, 2, rng.int(128, 250))));
    burst((t, k) => f.request(t, seg, mac, k % 2 === 0 ? ub.network : bcast, l.serverGateway(ub.server)), 16, [2000, 3000]);
  }
  // case 1b: a member without virtual MAC of the first split block, with the block's netmask, asks for the block's other addresses
  const sb = bs.find((b) => b.split)!;
  const sbOffender = sb.members.find((m) => m.vmac === null)!;
  {
    const seg = l.serverSegment(sbOffender.server);
    note('split-block', sbOffender.ip);
    burst((t) => f.request(t, seg, l.serverMac(sbOffender.server), sbOffender.ip, sb.network + rng.int(15, 30)));
  }
  // portable block: in the first block, a VM on the broadcast address (asking for the block's gateway), another on the gateway address
  const pb0 = portable[0];
  const pbBcast = pb0.network + (1 << (32 - pb0.prefix)) - 1;
  {
    const seg = l.serverSegment(pb0.server);
    note('portable-block-unusable', pbBcast);
    note('portable-block-unusable', pb0.network + 1);
    burst((t) => f.request(t, seg, VM_MAC_BASE + 0x700001, pbBcast, pb0.network + 1), 10, [2000, 4000]);
    burst((t) => f.request(t, seg, VM_MAC_BASE + 0x700002, pb0.network + 1, l.serverGateway(pb0.server)), 10, [2000, 4000]);
  }
  const offenderFrames = f.n;

  // ---- benign: the active share of the rest of the inventory
  const talkers: Talker[] = [];
  const nServers = Math.round((inv.servers - si) * p.activeShare);
  for (let k = 0; k < nServers; k++) {
    const s = servers[si + k];
    talkers.push({ ip: l.serverIp(s), mac: l.serverMac(s), gateway: l.serverGateway(s), seg: l.serverSegment(s), server: true, vm: false });
  }
  const activeFailovers = (idx: number[], from: number): void => {
    const n = Math.round((idx.length - from) * p.activeShare);
    for (let k = 0; k < n; k++) {
      const j = idx[from + k];
      const s = l.failoverServer(j);
      const vm = l.hasVmac(j);
      talkers.push({ ip: l.failoverIp(j), mac: vm ? l.failoverVmac(j) : l.serverMac(s), gateway: l.serverGateway(s), seg: l.serverSegment(s), server: false, vm });
    }
  };
  activeFailovers(aliasIdx, ai);
  activeFailovers(vmacIdx, vi);
  // every block member and portable-block VM that does not offend
  for (const b of bs) {
    if (!b.split) {
      for (let h = 1; h <= 4; h++) {
        const mip = b.network + h;
        if (offenderIps.has(mip)) continue;
        talkers.push({ ip: mip, mac: l.serverMac(b.server), gateway: l.serverGateway(b.server), seg: l.serverSegment(b.server), server: false, vm: false });
      }
      continue;
    }
    for (const m of b.members) {
      if (offenderIps.has(m.ip)) continue;
      talkers.push({ ip: m.ip, mac: m.vmac ?? l.serverMac(m.server), gateway: l.serverGateway(m.server), seg: l.serverSegment(m.server), server: false, vm: m.vmac !== null });
    }
  }
  for (const pb of portable) {
    const size = 1 << (32 - pb.prefix);
    for (let h = 2; h < size - 1; h++) {
      const vip = pb.network + h;
      talkers.push({ ip: vip, mac: VM_MAC_BASE + 0x600000 + (vip & 0xffff), gateway: pb.network + 1, seg: l.serverSegment(pb.server), server: false, vm: true });
    }
  }
  const serverTalkers = talkers.filter((t) => t.server);
  const vmTalkers = talkers.filter((t) => t.vm);

  // 1% announcements (VMs booting: who-has F tell F), 10% of the pairs the router's own requests for servers, the rest requests for the gateway and the router's reply
  const left = p.frames - f.n;
  if (left < 0) throw new Error('no room for benign frames');
  let announcements = Math.round(left * 0.01);
  if ((left - announcements) % 2 === 1) announcements++;
  const pairs = (left - announcements) / 2;
  for (let k = 0; k < announcements; k++) {
    const v = vmTalkers[rng.int(0, vmTalkers.length - 1)];
    f.request(rng.int(0, D - 1), v.seg, v.mac, v.ip, v.ip);
  }
  for (let k = 0; k < pairs; k++) {
    const t = rng.int(0, D - 2 * SECOND);
    if (rng.chance(0.1)) {
      const s = serverTalkers[rng.int(0, serverTalkers.length - 1)];
      f.request(t, s.seg, ROUTER_MAC, s.gateway, s.ip);
      f.reply(t + hostLatency(), s.seg, s.mac, s.ip, ROUTER_MAC, s.gateway);
      continue;
    }
    const s = talkers[rng.int(0, talkers.length - 1)];
    // Linux re-validates a stale entry with a unicast request, falls back to broadcast
    f.request(t, s.seg, s.mac, s.ip, s.gateway, rng.chance(0.7) ? ROUTER_MAC : BROADCAST);
    f.reply(t + routerLatency(), s.seg, ROUTER_MAC, s.gateway, s.mac, s.ip);
  }
  if (f.n !== p.frames) throw new Error(`generated ${f.n} frames, not ${p.frames}`);

  const { bytes, firstTs, lastTs, byEncap } = f.toPcap(p.startSec * SECOND);
  let requests = 0;
  // senders other than the router: the offenders, and the benign (talkers, and the servers that answer a scanner)
  const benign = new Set<number>();
  for (let i = 0; i < f.n; i++) {
    if (f.op[i] === 1) requests++;
    if (f.sha[i] !== ROUTER_MAC && !offenderIps.has(f.spa[i])) benign.add(f.spa[i]);
  }
  return {
    bytes,
    expected: {
      frames: f.n, offenderFrames, benignSenders: benign.size, offenderSenders: offenderIps.size,
      untagged: byEncap[Encap.UNTAGGED], dot1q: byEncap[Encap.DOT1Q], qinq: byEncap[Encap.QINQ],
      requests, replies: f.n - requests, firstTsMicros: firstTs, lastTsMicros: lastTs, offenders,
    },
  };
}

// ---------------------------------------------------------------- the flood

export interface FloodExpected { frames: number; senders: number; firstTsMicros: number; lastTsMicros: number }

/**
 * `frames` unanswered broadcast requests, each from another sender IP of
 * 100.64.0.0/10 (ip = base + (a·i + b) mod 2^22, a odd: a bijection, so all
 * distinct) with a random locally administered unicast MAC, for a random IP of
 * the same /10. Written straight into the file's buffer, already in time order.
 */
function generateFlood(p: FloodParams): { bytes: Buffer; expected: FloodExpected } {
  if (p.frames > 1 << 22) throw new Error('at most 4,194,304 distinct senders in 100.64.0.0/10');
  const rng = new Rng(p.seed ^ 0xf100d);
  const base = ip(100, 64, 0, 0);
  const b = rng.int(0, (1 << 22) - 1);
  const buf = Buffer.alloc(24 + p.frames * RECORD_BYTES);
  buf.writeUInt32LE(0xa1b2c3d4, 0);
  buf.writeUInt16LE(2, 4);
  buf.writeUInt16LE(4, 6);
  buf.writeUInt32LE(65535, 16);
  buf.writeUInt32LE(1, 20);
  const start = p.startSec * SECOND;
  let o = 24;
  for (let i = 0; i < p.frames; i++) {
    const t = start + i * p.gapMicros;
    const sender = (base + ((Math.imul(i, 0x9e3779b1) + b) & 0x3fffff)) >>> 0;
    const target = (base + rng.int(0, (1 << 22) - 1)) >>> 0;
    // first byte: locally administered (bit 1), unicast (bit 0 clear)
    const mac = (((rng.int(0, 255) & 0xfc) | 0x02) * 256 + rng.int(0, 255)) * TWO_POW_32 + rng.int(0, 0xffffffff);
    buf.writeUInt32LE(Math.floor(t / SECOND), o);
    buf.writeUInt32LE(t % SECOND, o + 4);
    buf.writeUInt32LE(FRAME_BYTES, o + 8);
    buf.writeUInt32LE(FRAME_BYTES, o + 12);
    o += 16;
    writeMac(buf, o, BROADCAST);
    writeMac(buf, o + 6, mac);
    buf.writeUInt16BE(0x0806, o + 12);
    const a = o + 14;
    buf.writeUInt16BE(1, a); buf.writeUInt16BE(0x0800, a + 2); buf[a + 4] = 6; buf[a + 5] = 4;
    buf.writeUInt16BE(1, a + 6);
    writeMac(buf, a + 8, mac);
    buf.writeUInt32BE(sender, a + 14);
    buf.writeUInt32BE(target, a + 24);
    o += FRAME_BYTES;
  }
  return { bytes: buf, expected: { frames: p.frames, senders: p.frames, firstTsMicros: start, lastTsMicros: start + (p.frames - 1) * p.gapMicros } };
}

// ---------------------------------------------------------------- caching

const invMetaSchema = z.object({ version: z.number(), params: z.record(z.string(), z.number()), bytes: z.number(), expected: z.unknown() });

/** Reuses `file` when its .json records the same version, parameters and size; else generates and writes both. */
function cached<E>(what: string, file: string, params: object, expectedSchema: z.ZodType<E>, make: () => { bytes: Buffer | string; expected: E }): { file: string; expected: E } {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const metaFile = file.replace(/\.[a-z]+$/, '.json');
  const flat = flatten(params);
  try {
    const meta = invMetaSchema.parse(JSON.parse(fs.readFileSync(metaFile, 'utf8')));
    const same = Object.keys(flat).length === Object.keys(meta.params).length && Object.entries(flat).every(([k, v]) => meta.params[k] === v);
    if (meta.version === GENERATOR_VERSION && same && fs.statSync(file).size === meta.bytes) {
      console.log(`${what}: reusing ${path.relative(ROOT, file)} (${mib(meta.bytes)})`);
      return { file, expected: expectedSchema.parse(meta.expected) };
    }
  } catch {
    // missing, unreadable or other parameters: generate
  }
  const t0 = performance.now();
  const { bytes, expected } = make();
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
  const size = fs.statSync(file).size;
  fs.writeFileSync(metaFile, JSON.stringify({ version: GENERATOR_VERSION, params: flat, bytes: size, expected }) + '\n');
  console.log(`${what}: generated ${path.relative(ROOT, file)} (${mib(size)}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { file, expected };
}

function flatten(o: object, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'number') out[prefix + k] = v;
    else if (typeof v === 'object' && v !== null) Object.assign(out, flatten(v as object, `${prefix}${k}.`));
  }
  return out;
}

const offendersSchema = z.object(Object.fromEntries(CASE_IDS.map((c) => [c, z.array(z.number())])) as Record<CaseId, z.ZodArray<z.ZodNumber>>);
const captureExpectedSchema = z.object({
  frames: z.number(), offenderFrames: z.number(), benignSenders: z.number(), offenderSenders: z.number(),
  untagged: z.number(), dot1q: z.number(), qinq: z.number(), requests: z.number(), replies: z.number(),
  firstTsMicros: z.number(), lastTsMicros: z.number(), offenders: offendersSchema,
});
const floodExpectedSchema = z.object({ frames: z.number(), senders: z.number(), firstTsMicros: z.number(), lastTsMicros: z.number() });
const inventoryExpectedSchema = z.object({ servers: z.number(), failovers: z.number(), customers: z.number(), lines: z.number() });
export type InventoryExpected = z.infer<typeof inventoryExpectedSchema>;

export function ensureInventory(p: InventoryParams): { file: string; expected: InventoryExpected } {
  const file = path.join(OUT_DIR, `detect-inventory-${p.servers}-seed${p.seed}.yaml`);
  return cached('inventory', file, p, inventoryExpectedSchema, () => {
    const text = inventoryYaml(new Layout(p));
    return { bytes: text, expected: { servers: p.servers, failovers: p.failovers, customers: p.customers, lines: text.split('\n').length - 1 } };
  });
}

export function ensureDetectCapture(p: CaptureParams): { file: string; expected: CaptureExpected } {
  const file = path.join(OUT_DIR, `detect-${p.frames}-inv${p.inventory.servers}-active${p.activeShare}-seed${p.inventory.seed}.pcap`);
  return cached('capture', file, p, captureExpectedSchema, () => generateCapture(p));
}

export function ensureFlood(p: FloodParams): { file: string; expected: FloodExpected } {
  const file = path.join(OUT_DIR, `flood-${p.frames}-seed${p.seed}.pcap`);
  return cached('flood', file, p, floodExpectedSchema, () => generateFlood(p));
}
