import { CASE_IDS } from '../classify/cases.js';
import { DECODE_RESULT_NAMES, FIRST_ANOMALY, RESULT_COUNT } from '../decode/decode-result.js';
import type { DetectorStats } from '../detect/detector.js';
import type { Incident, IncidentChangeKind } from '../incidents/incident.js';
import type { Labels, MetricDeclaration, Telemetry } from '../telemetry/telemetry.js';
import { NO_VLAN } from '../decode/arp-packet.js';
import { vlanLabel } from '../decode/vlan-key.js';
import { type TrafficSummary, VLAN_OPS } from './traffic-summary.js';

const TAG_DEPTHS = ['0', '1', '2', '3+'];

const TRAFFIC_METRICS: readonly MetricDeclaration[] = [
  ['frames_total', 'counter', 'frames read from the capture'],
  ['arp_frames_total', 'counter', 'ARP frames (well-formed or not), by number of VLAN tags'],
  ['arp_vlan_frames_total', 'counter', 'ARP frames by VLAN (its tag, QinQ as outer.inner: "1000.100"; "none" untagged)'],
  ['arp_packets_total', 'counter', 'well-formed ARP frames by op: request, reply, gratuitous (announcements), probe (RFC 5227)'],
  ['arp_vlan_packets_total', 'counter', 'well-formed ARP frames by VLAN ("none" untagged) and op (request, reply, gratuitous, probe)'],
  ['frames_not_arp_total', 'counter', 'well-formed frames of another protocol'],
  ['frames_malformed_total', 'counter', 'frames the decoder refused, by reason'],
  ['frames_out_of_order_total', 'counter', 'frames older than a frame before them (packet time stays at the latest)'],
];

const DETECTION_METRICS: readonly MetricDeclaration[] = [
  ['detector_senders', 'gauge', 'sender IPs tracked now'],
  ['detector_senders_untracked_total', 'counter', 'frames of new senders not tracked because the table was full of active ones'],
  ['detector_senders_evicted_total', 'counter', 'idle senders forgotten'],
  ['detector_pending', 'gauge', 'requests awaiting a reply now'],
  ['detector_pending_dropped_total', 'counter', 'requests dropped unanswered because the pending table was full'],
  ['detector_ignored_total', 'counter', 'frames ignored by the detector: routers\' own ARP, vRack, probes'],
  ['arp_unresolved_total', 'counter', 'requests the detector held that got no reply within the reply timeout, by VLAN ("none" untagged)'],
  ['incidents_open', 'gauge', 'incidents open now, by case'],
  ['incidents_refused_total', 'counter', 'signals that would have opened an incident past detector.max_open_incidents (each in the overflow incident)'],
];

const DEPTH_LABELS: readonly Labels[] = TAG_DEPTHS.map((tags) => Object.freeze({ tags }));
const OP_LABELS: readonly Labels[] = VLAN_OPS.map((op) => Object.freeze({ op }));
const REASON_LABELS: readonly Labels[] = DECODE_RESULT_NAMES.map((reason) => Object.freeze({ reason }));

/** A VLAN's label sets (`vlan`; `vlan` and each op), built once: the same objects every snapshot, so a sink can key on them. */
class VlanLabels {
  private readonly frames = new Map<number | null, Labels>();
  private readonly ops = new Map<number | null, readonly Labels[]>();

  of(vlan: number | null): Labels {
    let l = this.frames.get(vlan);
    if (l === undefined) this.frames.set(vlan, l = Object.freeze({ vlan: vlanTag(vlan) }));
    return l;
  }

  withOps(vlan: number | null): readonly Labels[] {
    let l = this.ops.get(vlan);
    if (l === undefined) this.ops.set(vlan, l = VLAN_OPS.map((op) => Object.freeze({ vlan: vlanTag(vlan), op })));
    return l;
  }
}

/** The traffic summary's counts as samples: frames, ARP by tag depth, VLAN and op, malformed by reason. */
export function registerTraffic(t: Telemetry, summary: () => TrafficSummary): void {
  t.describeAll(TRAFFIC_METRICS);
  // at most VLAN_ROWS VLANs (untagged, single tags, QinQ pairs): bounded
  const vlans = new VlanLabels();
  t.source('traffic', (out) => {
    const s = summary();
    out.counter('frames_total', s.frames);
    for (let d = 0; d < TAG_DEPTHS.length; d++) out.counter('arp_frames_total', s.byDepth[d], DEPTH_LABELS[d]);
    // a VLAN's frames, then its counts by op (the VLANs with ARP, in the same order): one after the other, the fields
    // of one point in InfluxDB (vlan_arp)
    const ops = s.vlanOps();
    let j = 0;
    for (const v of s.vlans()) {
      out.counter('arp_vlan_frames_total', v.frames, vlans.of(v.vlan));
      if (j === ops.length || ops[j].vlan !== v.vlan) continue;
      const labels = vlans.withOps(v.vlan);
      const counts = ops[j++].counts;
      for (let op = 0; op < VLAN_OPS.length; op++) out.counter('arp_vlan_packets_total', counts[op], labels[op]);
    }
    // (none: vlanOps is a part of vlans in the same order; kept so that a change there loses no count)
    for (; j < ops.length; j++) {
      const labels = vlans.withOps(ops[j].vlan);
      for (let op = 0; op < VLAN_OPS.length; op++) out.counter('arp_vlan_packets_total', ops[j].counts[op], labels[op]);
    }
    out.counter('arp_packets_total', s.requests, OP_LABELS[0]);
    out.counter('arp_packets_total', s.replies, OP_LABELS[1]);
    out.counter('arp_packets_total', s.gratuitous, OP_LABELS[2]);
    out.counter('arp_packets_total', s.probes, OP_LABELS[3]);
    out.counter('frames_not_arp_total', s.results[1]);
    out.counter('frames_out_of_order_total', s.framesOutOfOrder);
    for (let r = FIRST_ANOMALY; r < RESULT_COUNT; r++) out.counter('frames_malformed_total', s.results[r], REASON_LABELS[r]);
  });
}

/** A VLAN key as a tag: "100", "1000.100", or "none" untagged (bounded: at most 4,097 + MAX_QINQ_PAIRS values). */
const vlanTag = (vlan: number | null): string => vlanLabel(vlan ?? NO_VLAN);

/** What the detection stages show telemetry: the detector's state and the open incidents. */
export interface DetectionView {
  detector: { stats(): DetectorStats; readonly unresolvedByVlan: Float64Array; readonly unresolvedVlanRows: { keyOf(row: number): number } };
  book: { openIncidents(): readonly Incident[]; readonly refusedForCap: number };
}

/** The detector's state and the incidents: senders, pending requests, open incidents by case, changes by case. */
export function registerDetection(t: Telemetry, detection: () => DetectionView): void {
  t.describeAll(DETECTION_METRICS);
  // the same label objects every snapshot: sinks key their caches on them
  const vlans = new VlanLabels();
  const caseLabels = new Map<string, Labels>(CASE_IDS.map((c) => [c, Object.freeze({ case: c })]));
  t.source('detector', (out) => {
    const d = detection();
    const s = d.detector.stats();
    out.gauge('detector_senders', s.senders);
    out.counter('detector_senders_untracked_total', s.sendersUntracked);
    out.counter('detector_senders_evicted_total', s.sendersEvicted);
    out.gauge('detector_pending', s.pending);
    out.counter('detector_pending_dropped_total', s.pendingDropped);
    out.counter('detector_ignored_total', s.ignored);
    const unresolved = d.detector.unresolvedByVlan;
    const rows = d.detector.unresolvedVlanRows;
    for (let i = 0; i < unresolved.length; i++) if (unresolved[i] > 0) out.counter('arp_unresolved_total', unresolved[i], vlans.of(rows.keyOf(i)));
    const open = new Map<string, number>(CASE_IDS.map((c) => [c, 0]));
    for (const inc of d.book.openIncidents()) open.set(inc.caseId, open.get(inc.caseId)! + 1);
    for (const [c, n] of open) out.gauge('incidents_open', n, caseLabels.get(c));
    out.counter('incidents_refused_total', d.book.refusedForCap);
  });
}

/** Counter ids of incident changes by case, registered once: the pipeline bumps them by index. */
export function incidentChangeCounters(t: Telemetry): Record<IncidentChangeKind, Float64Array> {
  const kinds: IncidentChangeKind[] = ['opened', 'updated', 'resolved', 'folded'];
  const out = {} as Record<IncidentChangeKind, Float64Array>;
  for (const k of kinds) out[k] = Float64Array.from(CASE_IDS, (c) => t.counter('incidents_total', 'incident changes, by case and change', { case: c, change: k }));
  return out;
}
