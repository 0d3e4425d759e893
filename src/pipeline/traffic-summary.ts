import { ARP_REQUEST, type ArpPacket, NO_VLAN } from '../decode/arp-packet.js';
import { DECODE_RESULT_NAMES, DecodeResult, FIRST_ANOMALY, RESULT_COUNT } from '../decode/decode-result.js';
import { reachedArp } from '../decode/decode-frame.js';
import { IpMap } from '../common/ip-map.js';

/** Distinct senders tracked for "top talkers"; a flood of spoofed senders counts the rest in `untrackedSenderFrames`. */
export const MAX_TRACKED_TALKERS = 65_536;

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
  vlans: { vlan: number | null; frames: number }[];
  top_talkers: { ip: number; mac: number; macs: number; frames: number }[];
  untracked_sender_frames: number;
  /** frames older than a frame before them, and the furthest one's lag behind packet time in seconds */
  frames_out_of_order: number;
  max_step_back_seconds: number;
}

/**
 * Counts what a capture holds, as `tcpdump` would count it: every frame that
 * carried the ARP ethertype is an ARP frame, malformed or not. Per-frame work
 * is a few increments; maps grow only with new VLANs and senders (capped).
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
  /** ARP frames per VLAN id, index vlan + 1 (0: untagged) */
  readonly perVlan = new Float64Array(4097);
  /** sender IP → index of its top-talker counters (dense, in order of first frame) */
  readonly talkers = new IpMap<number>(1024);
  private readonly talkerFrames = new Float64Array(MAX_TRACKED_TALKERS);
  private readonly talkerMac = new Float64Array(MAX_TRACKED_TALKERS);
  private readonly talkerMacs = new Uint32Array(MAX_TRACKED_TALKERS);
  untrackedSenderFrames = 0;

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
    this.perVlan[p.vlan + 1]++;
    if (result !== DecodeResult.ARP) return;
    if (p.op === ARP_REQUEST) this.requests++; else this.replies++;
    if (p.gratuitous) this.gratuitous++;
    if (p.probe) this.probes++;
    let slot = this.talkers.get(p.senderIp | 0); // int32 (see IpMap): never boxed
    if (slot === undefined) {
      if (this.talkers.size === MAX_TRACKED_TALKERS) {
        this.untrackedSenderFrames++;
        return;
      }
      slot = this.talkers.size;
      this.talkers.set(p.senderIp, slot);
    }
    if (this.talkerFrames[slot]++ === 0) {
      this.talkerMac[slot] = p.senderMac;
      this.talkerMacs[slot] = 1;
    } else if (this.talkerMac[slot] !== p.senderMac) {
      this.talkerMac[slot] = p.senderMac;
      this.talkerMacs[slot]++;
    }
  }

  get arpFrames(): number {
    return this.byDepth[0] + this.byDepth[1] + this.byDepth[2] + this.byDepth[3];
  }

  malformed(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let r = FIRST_ANOMALY; r < RESULT_COUNT; r++) if (this.results[r] > 0) out[DECODE_RESULT_NAMES[r]] = this.results[r];
    return out;
  }

  topTalkers(n: number): { ip: number; mac: number; macs: number; frames: number }[] {
    const all: { ip: number; mac: number; macs: number; frames: number }[] = [];
    for (const [ip, slot] of this.talkers.entries()) {
      all.push({ ip, mac: this.talkerMac[slot], macs: this.talkerMacs[slot], frames: this.talkerFrames[slot] });
    }
    return all
      .sort((a, b) => b.frames - a.frames || a.ip - b.ip)
      .slice(0, n);
  }

  vlans(): { vlan: number | null; frames: number }[] {
    const out: { vlan: number | null; frames: number }[] = [];
    for (let i = 0; i < this.perVlan.length; i++) {
      if (this.perVlan[i] > 0) out.push({ vlan: i - 1 === NO_VLAN ? null : i - 1, frames: this.perVlan[i] });
    }
    return out;
  }
}
