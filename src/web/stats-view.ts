import { isoMicros } from '../common/time.js';
import { parseVlanLabel } from '../decode/vlan-key.js';
import { ipToString, macToString } from '../decode/addr.js';
import { sampleTotal, sampleValue, type Sample, type TelemetrySnapshot } from '../telemetry/telemetry.js';

/** A sender as the traffic summary counts it (TrafficSummary.recentTalkers). */
export interface Talker {
  ip: number;
  mac: number;
  macs: number;
  frames: number;
}

/** What one heartbeat sends the page: rates over the last interval, and the state now. */
export interface StatsJson {
  /** the daemon's clock when taken (the chart's time axis: packet time stands still on a silent wire) */
  time: string;
  packet_time: string | null;
  interval_seconds: number;
  /** well-formed ARP per second, by op */
  arp_per_second: Record<string, number>;
  /** ARP frames per second by VLAN (telemetry's label: the id, or "none" untagged), and by op when telemetry counts VLAN × op */
  vlans: { vlan: string; per_second: number; ops?: Record<string, number> }[];
  /** the senders of the most ARP frames since `top_talkers_since` (the last one to two minutes of packet time) */
  top_talkers: { ip: string; mac: string; macs: number; frames: number }[];
  top_talkers_since: string | null;
  /** open incidents by case (cases with none left out) */
  incidents_open: Record<string, number>;
  capture: { frames: number; kernel_received: number; kernel_dropped: number; interface_dropped: number; malformed: number };
}

const key = (s: Sample): string => `${s.name}${JSON.stringify(s.labels)}`;
const rate = (n: number, seconds: number): number => Math.round((n / seconds) * 10) / 10;

/**
 * The compact view of the telemetry the page's `stats` event carries, from one snapshot to the next. The first
 * call only takes the baseline (no interval yet): it returns null.
 */
export class StatsView {
  private prev: { counters: Map<string, number>; clockMs: number } | null = null;

  constructor(private readonly topN = 10) {}

  next(snap: TelemetrySnapshot, clockMs: number, talkers: readonly Talker[], talkersSinceMicros = -1): StatsJson | null {
    const counters = new Map<string, number>();
    for (const s of snap.samples) if (s.kind === 'counter') counters.set(key(s), s.value);
    const prev = this.prev;
    this.prev = { counters, clockMs };
    if (prev === null || clockMs <= prev.clockMs) return null;
    const seconds = (clockMs - prev.clockMs) / 1000;
    const delta = (s: Sample): number => s.value - (prev.counters.get(key(s)) ?? 0);

    const ops: Record<string, number> = {};
    const vlans = new Map<string, { vlan: string; per_second: number; ops?: Record<string, number> }>();
    const vlanOf = (v: string): { vlan: string; per_second: number; ops?: Record<string, number> } => {
      let e = vlans.get(v);
      if (e === undefined) vlans.set(v, (e = { vlan: v, per_second: 0 }));
      return e;
    };
    for (const s of snap.samples) {
      if (s.kind !== 'counter') continue;
      const { vlan, op } = s.labels;
      if (s.name === 'arp_packets_total' && op !== undefined && vlan === undefined) ops[op] = rate(delta(s), seconds);
      else if (s.name === 'arp_vlan_frames_total' && vlan !== undefined) vlanOf(vlan).per_second = rate(delta(s), seconds);
      // ARP by VLAN and op, whatever telemetry names that series: the labels say what it is
      else if (s.name.startsWith('arp_') && vlan !== undefined && op !== undefined && Object.keys(s.labels).length === 2) {
        const e = vlanOf(vlan);
        (e.ops ??= {})[op] = rate(delta(s), seconds);
      }
    }
    const open: Record<string, number> = {};
    for (const s of snap.samples) if (s.name === 'incidents_open' && s.value > 0 && s.labels.case !== undefined) open[s.labels.case] = s.value;
    const t = snap.packetTimeMicros;
    return {
      time: new Date(clockMs).toISOString(),
      packet_time: t > 0 ? isoMicros(t) : null,
      interval_seconds: Math.round(seconds * 1000) / 1000,
      arp_per_second: ops,
      vlans: [...vlans.values()].sort((a, b) => vlanOrder(a.vlan) - vlanOrder(b.vlan)),
      top_talkers: talkers.slice(0, this.topN).map((x) => ({ ip: ipToString(x.ip), mac: macToString(x.mac), macs: x.macs, frames: x.frames })),
      top_talkers_since: talkersSinceMicros >= 0 ? isoMicros(talkersSinceMicros) : null,
      incidents_open: open,
      capture: {
        frames: sampleValue(snap, 'frames_total') ?? 0,
        kernel_received: sampleValue(snap, 'capture_kernel_received_total') ?? 0,
        kernel_dropped: sampleValue(snap, 'capture_kernel_dropped_total') ?? 0,
        interface_dropped: sampleValue(snap, 'capture_interface_dropped_total') ?? 0,
        malformed: sampleTotal(snap, 'frames_malformed_total'),
      },
    };
  }
}

/** untagged first, then by VLAN key (single tags, then QinQ pairs) */
const vlanOrder = (v: string): number => parseVlanLabel(v) ?? Number.MAX_SAFE_INTEGER;
