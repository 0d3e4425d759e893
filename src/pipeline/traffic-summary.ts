import { ARP_REQUEST, type ArpPacket, NO_VLAN } from '../decode/arp-packet.js';
import { DECODE_RESULT_NAMES, DecodeResult, FIRST_ANOMALY, RESULT_COUNT } from '../decode/decode-result.js';
import { reachedArp } from '../decode/decode-frame.js';

/** Distinct senders tracked for "top talkers"; a flood of spoofed senders counts the rest in `untrackedSenderFrames`. */
export const MAX_TRACKED_TALKERS = 65_536;

interface Talker { frames: number; mac: number; macs: number }

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
}

/**
 * Counts what a capture holds, as `tcpdump` would count it: every frame that
 * carried the ARP ethertype is an ARP frame, malformed or not. Per-frame work
 * is a few increments; maps grow only with new VLANs and senders (capped).
 */
export class TrafficSummary {
  frames = 0;
  firstTs = -1;
  lastTs = -1;
  readonly results = new Float64Array(RESULT_COUNT);
  /** ARP frames by number of VLAN tags: 0, 1, 2, more */
  readonly byDepth = new Float64Array(4);
  requests = 0;
  replies = 0;
  gratuitous = 0;
  probes = 0;
  readonly perVlan = new Map<number, number>();
  readonly talkers = new Map<number, Talker>();
  untrackedSenderFrames = 0;

  observe(result: DecodeResult, p: Readonly<ArpPacket>): void {
    this.frames++;
    if (this.firstTs < 0) this.firstTs = p.tsMicros;
    this.lastTs = p.tsMicros;
    this.results[result]++;
    if (!reachedArp(result)) return;
    this.byDepth[p.vlanDepth < 3 ? p.vlanDepth : 3]++;
    const vlan = p.vlan;
    this.perVlan.set(vlan, (this.perVlan.get(vlan) ?? 0) + 1);
    if (result !== DecodeResult.ARP) return;
    if (p.op === ARP_REQUEST) this.requests++; else this.replies++;
    if (p.gratuitous) this.gratuitous++;
    if (p.probe) this.probes++;
    const t = this.talkers.get(p.senderIp);
    if (t !== undefined) {
      t.frames++;
      if (t.mac !== p.senderMac) { t.mac = p.senderMac; t.macs++; }
    } else if (this.talkers.size < MAX_TRACKED_TALKERS) {
      this.talkers.set(p.senderIp, { frames: 1, mac: p.senderMac, macs: 1 });
    } else {
      this.untrackedSenderFrames++;
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
    return [...this.talkers.entries()]
      .map(([ip, t]) => ({ ip, mac: t.mac, macs: t.macs, frames: t.frames }))
      .sort((a, b) => b.frames - a.frames || a.ip - b.ip)
      .slice(0, n);
  }

  vlans(): { vlan: number | null; frames: number }[] {
    return [...this.perVlan.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([vlan, frames]) => ({ vlan: vlan === NO_VLAN ? null : vlan, frames }));
  }
}
