import { ipToString } from '../decode/addr.js';
import { SignalKind } from '../detect/signals.js';
import type { Incident, IncidentChange, IncidentSink } from '../incidents/incident.js';
import type { Labels, MetricDeclaration, SeriesKey, Telemetry } from '../telemetry/telemetry.js';
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
  /** the number of this snapshot, for WatchedColumns' openAt and topAt */
  let stamp = 0;
  /** what each watched slot wrote in the last snapshot of changes, in columns: thousands are compared each snapshot */
  let w = new WatchedColumns(0);
  t.source('senders', (out) => {
    const s = summary();
    const d = detection();
    const changes = out.changes;
    const unresolvedOf = (ip: number): number => (d === null ? -1 : d.detector.windowCount(ip, SignalKind.UNRESOLVED_ARP));
    const samples = (l: SenderSeries, requests: number, replies: number, unresolved: number): void => {
      out.counter('sender_arp_packets_total', requests, l.request);
      out.counter('sender_arp_packets_total', replies, l.reply);
      if (d !== null) out.gauge('sender_unresolved', unresolved, l.ip);
    };
    const tally = s.watched;
    // made with the first IP watched: a replay without incidents never needs them
    if (tally.size > 0 && w.at.length !== tally.capacity) w = new WatchedColumns(tally.capacity);
    stamp++;
    for (const c of s.topSenderCounts(s.topSenders)) {
      const l = labels.of(c.ip);
      const unresolved = unresolvedOf(c.ip);
      if (changes > 0) {
        // a snapshot of changes: a sender as it was in the one before is told so, no samples
        const same = l.changes === changes - 1 && l.requests === c.requests && l.replies === c.replies && l.unresolved === unresolved;
        l.changes = changes;
        l.requests = c.requests;
        l.replies = c.replies;
        l.unresolved = unresolved;
        if (same) out.same(l.series);
        else samples(l, c.requests, c.replies, unresolved);
      } else samples(l, c.requests, c.replies, unresolved);
      const slot = tally.size > 0 ? tally.slotOf(c.ip) : -1;
      if (slot >= 0) w.topAt[slot] = stamp;
    }
    // most snapshots: no incident open, nothing watched, nothing to scan
    if (tally.size > 0) {
      for (const inc of d?.book.openIncidents() ?? []) {
        const slot = inc.ip !== 0 ? tally.slotOf(inc.ip) : -1;
        if (slot >= 0) w.openAt[slot] = stamp;
      }
      tally.forEachWatched((ip, slot) => {
        // an IP whose incidents are all resolved (or folded) is not watched any more
        if (w.openAt[slot] !== stamp) {
          tally.unwatch(ip);
          return;
        }
        if (w.topAt[slot] === stamp) return; // written as a top sender
        const requests = tally.requests[slot];
        const replies = tally.replies[slot];
        const unresolved = unresolvedOf(ip);
        if (changes > 0) {
          if (w.at[slot] === changes - 1 && w.ip[slot] === ip && w.requests[slot] === requests && w.replies[slot] === replies && w.unresolved[slot] === unresolved) {
            w.at[slot] = changes;
            out.same(w.keys[slot]!);
            return;
          }
        }
        let l = w.series[slot];
        if (l === undefined || l.ipNumber !== ip) w.series[slot] = l = labels.of(ip);
        if (changes > 0) {
          // set together: the key told unchanged is always that of the IP compared
          w.at[slot] = changes;
          w.ip[slot] = ip;
          w.keys[slot] = l.series;
          w.requests[slot] = requests;
          w.replies[slot] = replies;
          w.unresolved[slot] = unresolved;
        }
        samples(l, requests, replies, unresolved);
      });
    }
    out.counter('senders_watch_refused_total', tally.refused);
  });
}

/** Per watched slot (SenderTally's), as columns: what the senders' source read of it and wrote last. */
class WatchedColumns {
  /** the last snapshot that found the slot's IP with an open incident, and among the top senders (no Set of IPs: most are above 2^30, boxed as Set keys) */
  readonly openAt: Int32Array;
  readonly topAt: Int32Array;
  /** the last snapshot of changes it was written or told unchanged in, for which IP, with what values */
  readonly at: Int32Array;
  readonly ip: Float64Array;
  readonly requests: Float64Array;
  readonly replies: Float64Array;
  readonly unresolved: Float64Array;
  /** its IP's series, so that thousands of watched senders are not looked up by IP each snapshot */
  readonly series: (SenderSeries | undefined)[];
  /** the series key of `ip` (set with it) */
  readonly keys: (SeriesKey | undefined)[];

  constructor(capacity: number) {
    this.openAt = new Int32Array(capacity);
    this.topAt = new Int32Array(capacity);
    this.at = new Int32Array(capacity).fill(-1);
    this.ip = new Float64Array(capacity);
    this.requests = new Float64Array(capacity);
    this.replies = new Float64Array(capacity);
    this.unresolved = new Float64Array(capacity);
    this.series = new Array<SenderSeries | undefined>(capacity);
    this.keys = new Array<SeriesKey | undefined>(capacity);
  }
}

/**
 * A sender's label sets, built once per IP and reused by every snapshot (the top senders change slowly); bounded above
 * the 10,000 watched IPs and the top senders, so that a replay's thousands of offenders do not empty it every snapshot
 * (a new object is a new series to every sink's cache: text made again, a point written again).
 */
class SenderLabels {
  private static readonly AT_MOST = 16_384;
  private readonly byIp = new Map<number, SenderSeries>();

  of(ip: number): SenderSeries {
    let l = this.byIp.get(ip);
    if (l === undefined) {
      if (this.byIp.size === SenderLabels.AT_MOST) this.byIp.clear();
      l = new SenderSeries(ip >>> 0);
      this.byIp.set(ip, l);
    }
    return l;
  }
}

/** One sender's label sets, and what it wrote in the last snapshot of changes (a new one: nothing, so it writes). */
class SenderSeries {
  readonly ip: Labels;
  readonly request: Labels;
  readonly reply: Labels;
  /** what `same` tells: the first sample's name and labels */
  readonly series: SeriesKey;
  /** the snapshot of changes it was last in (-1: none), with its values then (unresolved -1: no detection) */
  changes = -1;
  requests = 0;
  replies = 0;
  unresolved = 0;

  constructor(readonly ipNumber: number) {
    const text = ipToString(ipNumber);
    this.ip = Object.freeze({ ip: text });
    this.request = Object.freeze({ ip: text, op: 'request' });
    this.reply = Object.freeze({ ip: text, op: 'reply' });
    this.series = Object.freeze({ name: 'sender_arp_packets_total', labels: this.request });
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
