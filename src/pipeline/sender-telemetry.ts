import { ipToString } from '../decode/addr.js';
import { SignalKind } from '../detect/signals.js';
import type { Incident, IncidentChange, IncidentSink } from '../incidents/incident.js';
import type { Labels, MetricDeclaration, Telemetry } from '../telemetry/telemetry.js';
import type { TrafficSummary } from './traffic-summary.js';

const SENDER_METRICS: readonly MetricDeclaration[] = [
  ['sender_arp_packets_total', 'counter', 'well-formed ARP sent by one IP, by op (request, reply): the top senders (metrics.top_senders, counted since the sketch holds them) and every IP with an open incident (since it opened)'],
  ['sender_unresolved', 'gauge', 'requests of one IP left unanswered within the detector\'s window (detector.window_seconds), for the same IPs'],
  ['senders_watch_refused_total', 'counter', 'IPs with an open incident not counted per sender because 10,000 already were'],
];

/** What the per-sender series read of detection: which IPs have an open incident, and their unresolved count in the window. */
export interface SenderDetectionView {
  detector: { windowCount(ip: number, kind: number): number };
  book: { openIncidents(): readonly Incident[] };
}

/**
 * Per-sender series with bounded tags: `ip` is one of the top N senders or an IP with an open incident, never every IP
 * on the network. Their counts come from the summary (sketch and tally); the unresolved count from the detector's window.
 */
export function registerSenders(t: Telemetry, summary: () => TrafficSummary, detection: () => SenderDetectionView | null): void {
  t.describeAll(SENDER_METRICS);
  const labels = new SenderLabels();
  // kept between snapshots: emptied, not made again, each time
  const top = new Set<number>();
  const open = new Set<number>();
  t.source('senders', (out) => {
    const s = summary();
    const d = detection();
    const write = (ip: number, requests: number, replies: number): void => {
      const l = labels.of(ip);
      out.counter('sender_arp_packets_total', requests, l.request);
      out.counter('sender_arp_packets_total', replies, l.reply);
      if (d !== null) out.gauge('sender_unresolved', d.detector.windowCount(ip, SignalKind.UNRESOLVED_ARP), l.ip);
    };
    top.clear();
    for (const c of s.topSenderCounts(s.topSenders)) {
      write(c.ip, c.requests, c.replies);
      top.add(c.ip);
    }
    const tally = s.watched;
    // most snapshots: no incident open, nothing watched, nothing to scan
    if (tally.size > 0) {
      open.clear();
      for (const inc of d?.book.openIncidents() ?? []) if (inc.ip !== 0) open.add(inc.ip);
      tally.forEachWatched((ip, slot) => {
        // an IP whose incidents are all resolved (or folded) is not watched any more
        if (!open.has(ip)) tally.unwatch(ip);
        else if (!top.has(ip)) write(ip, tally.requests[slot], tally.replies[slot]);
      });
    }
    out.counter('senders_watch_refused_total', tally.refused);
  });
}

/**
 * A sender's label sets, built once per IP and reused by every snapshot (the top senders change slowly); bounded above
 * the 10,000 watched IPs and the top senders, so that a replay's thousands of offenders do not empty it every snapshot
 * (a new object is a new series to every sink's cache: text made again, a point written again).
 */
class SenderLabels {
  private static readonly AT_MOST = 16_384;
  private readonly byIp = new Map<number, { ip: Labels; request: Labels; reply: Labels }>();

  of(ip: number): { ip: Labels; request: Labels; reply: Labels } {
    let l = this.byIp.get(ip);
    if (l === undefined) {
      if (this.byIp.size === SenderLabels.AT_MOST) this.byIp.clear();
      const text = ipToString(ip);
      l = { ip: Object.freeze({ ip: text }), request: Object.freeze({ ip: text, op: 'request' }), reply: Object.freeze({ ip: text, op: 'reply' }) };
      this.byIp.set(ip, l);
    }
    return l;
  }
}

/** The sink that starts counting an IP's frames exactly when an incident opens on it (the snapshot stops it once none is open). */
export function incidentSenderWatch(summary: TrafficSummary): IncidentSink {
  return {
    name: 'sender-watch',
    accept: (c: IncidentChange) => {
      if (c.kind === 'opened' && c.incident.ip !== 0) summary.watched.watch(c.incident.ip);
    },
    close: async () => {},
  };
}
