import { ipToString, macToString } from '../decode/addr.js';
import { linkTypeName } from '../decode/link-types.js';
import type { PipelineRun } from '../pipeline/pipeline.js';
import { TALKER_MACS, type TrafficSummary, type TrafficSummaryJson } from '../pipeline/traffic-summary.js';
import { isoMicros, tcpdumpTime } from '../common/time.js';
import { NO_VLAN } from '../decode/arp-packet.js';
import { vlanJson, vlanKeyOfJson, vlanName } from '../decode/vlan-key.js';
import { MAX_QINQ_PAIRS } from '../decode/vlan-rows.js';

export const TOP_TALKERS = 10;

export function summaryJson(s: TrafficSummary): TrafficSummaryJson {
  return {
    frames: s.frames,
    first_packet: s.firstTs < 0 ? null : isoMicros(s.firstTs),
    last_packet: s.lastTs < 0 ? null : isoMicros(s.lastTs),
    arp: {
      frames: s.arpFrames, untagged: s.byDepth[0], single_tagged: s.byDepth[1], double_tagged: s.byDepth[2], more_tagged: s.byDepth[3],
      requests: s.requests, replies: s.replies, gratuitous: s.gratuitous, probes: s.probes,
    },
    not_arp: s.results[1],
    malformed: s.malformed(),
    vlans: s.vlans().map((v) => ({ ...vlanJson(v.vlan ?? NO_VLAN), frames: v.frames })),
    ...(s.vlanRows.folded > 0 ? { qinq_folded: s.vlanRows.folded } : {}),
    top_talkers: s.topTalkers(TOP_TALKERS),
    untracked_sender_frames: s.untrackedSenderFrames,
    frames_out_of_order: s.framesOutOfOrder,
    max_step_back_seconds: s.maxStepBackMicros / 1e6,
  };
}

/** The JSON document of `replay --format json` (addresses as strings there); `readError`: the file source's, when it stopped early. */
export function replayJson(file: string, run: PipelineRun, readError: string | null = null): Record<string, unknown> {
  const j = summaryJson(run.summary);
  return {
    file,
    link_type: run.linkType,
    ...(run.capture.truncated ? { truncated: true } : {}),
    ...(readError !== null ? { read_error: readError } : {}),
    ...j,
    top_talkers: j.top_talkers.map((t) => ({ ip: ipToString(t.ip), mac: macToString(t.mac), macs: t.macs, frames: t.frames })),
  };
}

const n = (x: number): string => x.toLocaleString('en-US');

/**
 * "x.pcap: cut short after 12 frames (truncated dump file; tried to read 64 captured bytes, only got 0); counted what was read":
 * libpcap's reason, as tcpdump prints it, tells a file cut in a record from one libpcap cannot read on (a pcapng
 * interface of another link type).
 */
export function cutShortText(file: string, frames: number, reason: string): string {
  return `${file}: cut short after ${n(frames)} frame${frames === 1 ? '' : 's'} (${reason}); counted what was read`;
}

/** "12 frames older than a frame before them, by up to 16.702 s" */
export function outOfOrderText(s: TrafficSummary): string {
  return `${n(s.framesOutOfOrder)} frame${s.framesOutOfOrder === 1 ? '' : 's'} older than a frame before ${s.framesOutOfOrder === 1 ? 'it' : 'them'}, by up to ${(s.maxStepBackMicros / 1e6).toFixed(3)} s`;
}

export function summaryText(title: string, run: PipelineRun): string {
  const s = run.summary;
  const j = summaryJson(s);
  const lines: string[] = [title];
  const row = (label: string, value: string): void => { lines.push(`  ${label.padEnd(12)} ${value}`); };
  row('link type', linkTypeName(run.linkType));
  if (s.firstTs >= 0) {
    row('span', `${tcpdumpTime(s.firstTs)} → ${tcpdumpTime(s.lastTs)} UTC (${((s.lastTs - s.firstTs) / 1e6).toFixed(1)} s)`);
  }
  const tags = [`untagged ${n(j.arp.untagged)}`, `802.1Q ${n(j.arp.single_tagged)}`, `QinQ ${n(j.arp.double_tagged)}`];
  if (j.arp.more_tagged > 0) tags.push(`3+ tags ${n(j.arp.more_tagged)}`);
  row('frames', `${n(s.frames)} (ARP ${n(j.arp.frames)}: ${tags.join(', ')}; not ARP ${n(j.not_arp)})`);
  row('ARP', `requests ${n(s.requests)}, replies ${n(s.replies)}, gratuitous ${n(s.gratuitous)}, probes ${n(s.probes)}`);
  const bad = Object.entries(j.malformed);
  if (s.framesOutOfOrder > 0) row('out of order', outOfOrderText(s));
  row('malformed', bad.length === 0 ? 'none' : bad.map(([k, v]) => `${k} ${n(v)}`).join(', '));
  const vlans = j.vlans.map((v) => `${vlanName(vlanKeyOfJson(v.vlan, v.outer_vlan))}: ${n(v.frames)}`);
  row('per VLAN', vlans.length === 0 ? 'no ARP' : vlans.join(', '));
  if (j.qinq_folded !== undefined) row('', `(${n(j.qinq_folded)} QinQ frames counted under their inner VLAN: more than ${n(MAX_QINQ_PAIRS)} outer.inner pairs)`);
  if (run.capture.kernel) {
    const k = run.capture.kernel;
    row('kernel', `received ${n(k.received)}, dropped ${n(k.dropped)}, interface dropped ${n(k.ifDropped)}`);
  }
  if (j.top_talkers.length > 0) {
    lines.push('  top talkers (ARP sent)');
    lines.push(`    ${'frames'.padStart(9)}  ${'sender IP'.padEnd(15)}  sender MAC`);
    for (const t of j.top_talkers) {
      const macs = t.macs > 1 ? `  (${t.macs}${t.macs >= TALKER_MACS ? ' or more' : ''} MACs seen)` : '';
      lines.push(`    ${n(t.frames).padStart(9)}  ${ipToString(t.ip).padEnd(15)}  ${macToString(t.mac)}${macs}`);
    }
    if (s.untrackedSenderFrames > 0) lines.push(`    (${n(s.untrackedSenderFrames)} frames from senders beyond the ${n(s.talkers.size)} the top-senders sketch holds)`);
  }
  return lines.join('\n') + '\n';
}
