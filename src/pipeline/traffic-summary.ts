import { ARP_REQUEST, type ArpPacket, NO_VLAN } from '../decode/arp-packet.js';
import { VLAN_ROWS, VlanRows } from '../decode/vlan-rows.js';
import { DECODE_RESULT_NAMES, DecodeResult, FIRST_ANOMALY, RESULT_COUNT } from '../decode/decode-result.js';
import { reachedArp } from '../decode/decode-frame.js';
import { HeavyHitters } from './heavy-hitters.js';
import { RecentTalkers } from './recent-talkers.js';
import { SenderTally } from './sender-tally.js';

/** Top senders asked for when nobody says (metrics.top_senders). */
export const DEFAULT_TOP_SENDERS = 20;
/** The sketch holds this many counters per top sender asked for (Space-Saving's error shrinks with it), at least SKETCH_MIN. */
const SKETCH_PER_TOP = 8;
const SKETCH_MIN = 64;
/** Senders with an open incident counted exactly at once (past it, refused and counted). */
const MAX_WATCHED_SENDERS = 10_000;
/** distinct MACs counted per top sender: past it the count stays there ("16 or more") */
export const TALKER_MACS = 16;
/** senders each window's sketch of the recent talkers holds */
const RECENT_SKETCH = 64;

/** ARP ops counted per VLAN, in this order: index row * VLAN_OPS.length + op (VlanRows). */
export const VLAN_OPS = ['request', 'reply', 'gratuitous', 'probe'] as const;
const OP_REQUEST = 0;
const OP_REPLY = 1;
const OP_GRATUITOUS = 2;
const OP_PROBE = 3;
const OPS = VLAN_OPS.length;

export interface TrafficSummaryJson {
  frames: number;
  first_packet: string | null;
  last_packet: string | null;
  arp: {
    frames: number; untagged: number; single_tagged: number; double_tagged: number; more_tagged: number;
    requests: number; replies: number; gratuitous: number; probes: number;
  };
  not_arp: number;
  malformed: Record<string, number>;
  /** `vlan` the customer-side id (QinQ's inner; null untagged), `outer_vlan` QinQ's outer tag, only on QinQ */
  vlans: { vlan: number | null; outer_vlan?: number; frames: number }[];
  /** QinQ frames counted under their inner VLAN alone: every one of the summary's QinQ rows was taken (only when some were) */
  qinq_folded?: number;
  top_talkers: { ip: number; mac: number; macs: number; frames: number }[];
  untracked_sender_frames: number;
  /** frames older than a frame before them, and the furthest one's lag behind packet time in seconds */
  frames_out_of_order: number;
  max_step_back_seconds: number;
}

/**
 * Counts what a capture holds, as `tcpdump` would count it: every frame that
 * carried the ARP ethertype is an ARP frame, malformed or not. Per-frame work
 * is a few increments; memory is fixed at construction (typed arrays by VLAN,
 * a Space-Saving sketch of the top senders), whatever a flood of spoofed senders sends.
 */
export class TrafficSummary {
  frames = 0;
  /** the earliest and the latest packet time seen (µs); a frame older than `lastTs` leaves it where it is */
  firstTs = -1;
  lastTs = -1;
  /** frames older than a frame before them (captures joined with `mergecap -a`), and how far behind the furthest was (µs) */
  framesOutOfOrder = 0;
  maxStepBackMicros = 0;
  readonly results = new Float64Array(RESULT_COUNT);
  /** ARP frames by number of VLAN tags: 0, 1, 2, more */
  readonly byDepth = new Float64Array(4);
  requests = 0;
  replies = 0;
  gratuitous = 0;
  probes = 0;
  /** the row of each VLAN key (a single tag's id + 1, 0 untagged; QinQ pairs after them) in the two below */
  readonly vlanRows = new VlanRows();
  /** ARP frames per VLAN, by row */
  readonly perVlan = new Float64Array(VLAN_ROWS);
  /** the rows of perVlan in use, in order of first frame: a snapshot reads these, not all of them */
  private readonly vlanSeen = new Uint16Array(VLAN_ROWS);
  private vlansSeen = 0;
  /** vlanSeen's first vlansSeen, in order of VLAN key (vlanIndexes) */
  private vlansSorted = new Uint16Array(0);
  /** vlanOps' entry by perVlan row: at most VLAN_ROWS */
  private readonly vlanOpEntries = new Map<number, { readonly vlan: number | null; readonly counts: Float64Array }>();
  /** well-formed ARP per VLAN and op (VLAN_OPS), index row * 4 + op */
  readonly perVlanOp = new Float64Array(VLAN_ROWS * OPS);
  /** the senders of the most well-formed ARP frames, bounded; its items index the columns below (counted since held) */
  readonly talkers: HeavyHitters;
  private readonly talkerRequests: Float64Array;
  private readonly talkerReplies: Float64Array;
  private readonly talkerMac: Float64Array;
  /** distinct MACs per held sender, up to TALKER_MACS each (their first TALKER_MACS kept to tell a new one from a return) */
  private readonly talkerMacs: Uint32Array;
  private readonly talkerMacSet: Float64Array;
  /** the senders of the last one or two windows (the NOC page's list), only when asked for: null in a replay */
  readonly recent: RecentTalkers | null;
  /** senders with an open incident, counted exactly from when they are watched */
  readonly watched = new SenderTally(MAX_WATCHED_SENDERS);

  constructor(readonly topSenders = DEFAULT_TOP_SENDERS, recentWindowMicros = 0) {
    const k = Math.max(SKETCH_MIN, SKETCH_PER_TOP * topSenders);
    this.talkers = new HeavyHitters(k);
    this.talkerRequests = new Float64Array(k);
    this.talkerReplies = new Float64Array(k);
    this.talkerMac = new Float64Array(k);
    this.talkerMacs = new Uint32Array(k);
    this.talkerMacSet = new Float64Array(k * TALKER_MACS);
    this.recent = recentWindowMicros > 0 ? new RecentTalkers(RECENT_SKETCH, recentWindowMicros) : null;
  }

  observe(result: DecodeResult, p: Readonly<ArpPacket>): void {
    this.frames++;
    if (result === DecodeResult.BAD_TIMESTAMP) {
      // counted, but its time is none: first, last and out-of-order stay what the other frames make them
      this.results[result]++;
      return;
    }
    const ts = p.tsMicros;
    if (this.firstTs < 0 || ts < this.firstTs) this.firstTs = ts;
    if (ts >= this.lastTs) {
      this.lastTs = ts;
    } else {
      // packet time never runs back (the detector takes an older frame as now): count it, keep the latest
      this.framesOutOfOrder++;
      if (this.lastTs - ts > this.maxStepBackMicros) this.maxStepBackMicros = this.lastTs - ts;
    }
    this.results[result]++;
    if (!reachedArp(result)) return;
    this.byDepth[p.vlanDepth < 3 ? p.vlanDepth : 3]++;
    const vi = this.vlanRows.row(p.vlan); // the getter once
    if (this.perVlan[vi]++ === 0) this.vlanSeen[this.vlansSeen++] = vi;
    if (result !== DecodeResult.ARP) return;
    const v = vi * OPS;
    const request = p.op === ARP_REQUEST;
    if (request) {
      this.requests++;
      this.perVlanOp[v + OP_REQUEST]++;
    } else {
      this.replies++;
      this.perVlanOp[v + OP_REPLY]++;
    }
    if (p.gratuitous) {
      this.gratuitous++;
      this.perVlanOp[v + OP_GRATUITOUS]++;
    }
    if (p.probe) {
      this.probes++;
      this.perVlanOp[v + OP_PROBE]++;
    }
    if (this.watched.size > 0) this.watched.count(p);
    if (this.recent !== null) this.recent.hit(p.senderIp | 0, p.senderMac, ts);
    const slot = this.talkers.hit(p.senderIp | 0); // int32: never boxed
    if (slot < 0) return;
    if (this.talkers.fresh) {
      this.talkerRequests[slot] = 0;
      this.talkerReplies[slot] = 0;
      this.talkerMac[slot] = p.senderMac;
      this.talkerMacs[slot] = 1;
      this.talkerMacSet[slot * TALKER_MACS] = p.senderMac;
    } else if (this.talkerMac[slot] !== p.senderMac) {
      this.talkerMac[slot] = p.senderMac;
      this.seeMac(slot, p.senderMac);
    }
    if (request) this.talkerRequests[slot]++;
    else this.talkerReplies[slot]++;
  }

  /** A sender's MAC other than its last: counted if it is new (two MACs taking turns are two, not one per change). */
  private seeMac(slot: number, mac: number): void {
    const n = this.talkerMacs[slot];
    if (n >= TALKER_MACS) return;
    const base = slot * TALKER_MACS;
    for (let i = 0; i < n; i++) if (this.talkerMacSet[base + i] === mac) return;
    this.talkerMacSet[base + n] = mac;
    this.talkerMacs[slot] = n + 1;
  }

  /** Well-formed ARP frames not attributed to a sender the sketch holds (not admitted, or counted before it took them). */
  get untrackedSenderFrames(): number {
    let held = 0;
    const t = this.talkers;
    for (let i = 0; i < t.size; i++) held += t.counts[i] - t.errors[i];
    return t.total - held;
  }

  get arpFrames(): number {
    return this.byDepth[0] + this.byDepth[1] + this.byDepth[2] + this.byDepth[3];
  }

  malformed(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let r = FIRST_ANOMALY; r < RESULT_COUNT; r++) if (this.results[r] > 0) out[DECODE_RESULT_NAMES[r]] = this.results[r];
    return out;
  }

  /**
   * The `n` senders of the most well-formed ARP frames, most first. `frames` are those seen since the sketch took the
   * sender (exact for a sender held from its first frame, which is every sender while fewer than the sketch holds).
   */
  topTalkers(n: number): { ip: number; mac: number; macs: number; frames: number }[] {
    return this.topSenderCounts(n).map((s) => ({ ip: s.ip, mac: s.mac, macs: s.macs, frames: s.requests + s.replies }));
  }

  /**
   * The `n` senders of the most well-formed ARP frames in the last one to two windows (RecentTalkers), most first, their
   * MACs as topTalkers counts them; empty without a window.
   */
  recentTalkers(n: number): { ip: number; mac: number; macs: number; frames: number }[] {
    if (this.recent === null) return [];
    const t = this.talkers;
    // the distinct MACs since the start when that sketch holds the sender (a sender loud only lately may not be): at least its last
    return this.recent.top(n).map(({ ip, mac, frames }) => {
      const i = t.itemOf(ip);
      return { ip, mac, macs: i < 0 ? 1 : this.talkerMacs[i], frames };
    });
  }

  /** The same senders with their requests and replies (telemetry's per-sender series). */
  topSenderCounts(n: number): { ip: number; mac: number; macs: number; requests: number; replies: number }[] {
    const t = this.talkers;
    return t.top(n).map((i) => ({ ip: t.ip(i), mac: this.talkerMac[i], macs: this.talkerMacs[i], requests: this.talkerRequests[i], replies: this.talkerReplies[i] }));
  }

  /** The rows of perVlan in use, untagged first, then by VLAN key (sorted again only when a VLAN was added: a snapshot reads it twice). */
  private vlanIndexes(): Uint16Array {
    if (this.vlansSorted.length !== this.vlansSeen) {
      const rows = this.vlanRows;
      this.vlansSorted = this.vlanSeen.slice(0, this.vlansSeen).sort((a, b) => rows.keyOf(a) - rows.keyOf(b));
    }
    return this.vlansSorted;
  }

  private vlanOfRow(row: number): number | null {
    const key = this.vlanRows.keyOf(row);
    return key === NO_VLAN ? null : key;
  }

  /** Well-formed ARP per VLAN key and op, the VLANs that have any (null: untagged); each VLAN's entry is made once, its counts a live view. */
  vlanOps(): { readonly vlan: number | null; readonly counts: Float64Array }[] {
    const out: { readonly vlan: number | null; readonly counts: Float64Array }[] = [];
    const all = this.perVlanOp;
    for (const i of this.vlanIndexes()) {
      if (all[i * OPS + OP_REQUEST] + all[i * OPS + OP_REPLY] === 0) continue;
      let entry = this.vlanOpEntries.get(i);
      if (entry === undefined) this.vlanOpEntries.set(i, entry = { vlan: this.vlanOfRow(i), counts: all.subarray(i * OPS, i * OPS + OPS) });
      out.push(entry);
    }
    return out;
  }

  vlans(): { vlan: number | null; frames: number }[] {
    const out: { vlan: number | null; frames: number }[] = [];
    for (const i of this.vlanIndexes()) out.push({ vlan: this.vlanOfRow(i), frames: this.perVlan[i] });
    return out;
  }
}
