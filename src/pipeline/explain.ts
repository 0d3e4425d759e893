import type { FileSource } from '../capture/file-source.js';
import type { Config } from '../config/schema.js';
import { ARP_REPLY, ARP_REQUEST, type ArpPacket } from '../decode/arp-packet.js';
import { macToString } from '../decode/addr.js';
import { formatTcpdump } from '../decode/format-tcpdump.js';
import { SIGNAL_COUNT, SIGNAL_NAMES, SignalKind } from '../detect/signal.js';
import { SIGNALS } from '../detect/signals.js';
import type { Incident } from '../incidents/incident.js';
import { type InventoryIndex, type IpRole, isRoutedRole } from '../inventory/inventory-index.js';
import { DetectionPipeline } from './detection.js';
import { runPipeline } from './pipeline.js';

export interface TimelineLine {
  tsMicros: number;
  line: string;
  /** what the detector made of it: signal names, "answered in 1.2 ms", "no reply within 3 s" */
  notes: string[];
}

export interface RuleOutcome {
  signal: string;
  threshold: number;
  /** the highest window count this IP reached, and when it first reached the threshold */
  maxCount: number;
  crossedAt: number | null;
  /** a persistent signal of a routed IP: the most distinct periods it was seen in within the horizon, the periods needed, and when it first had them; null otherwise */
  persistence: { maxPeriods: number; needed: number; reachedAt: number | null } | null;
  /** why this rule's count makes no case for this IP whatever it reaches (crossedAt is then null), or null */
  notCounted: string | null;
}

/**
 * routed_ip_target is defined for senders that are no customer's routed IP: from a failover IP or a
 * routed or portable block member, ARP for a routed IP is the sender's own misconfiguration, which
 * its own signals (off_link_target, unresolved_arp) show; classify's caseOf ignores it there.
 */
export const NOT_COUNTED_FOR_ROUTED = 'not counted for a routed IP: its own evidence explains it';

function routedSender(inv: InventoryIndex, ip: number): boolean {
  // the test caseOf makes (src/classify/classify.ts)
  const role: IpRole = { failover: undefined, block: undefined, portable: undefined };
  inv.roleOf(ip, role);
  return isRoutedRole(role);
}

export interface Explanation {
  /** the IP is one whose own ARP the detector never counts (providerAddress), so explain lists none of it; null otherwise */
  provider: string | null;
  timeline: TimelineLine[];
  rules: RuleOutcome[];
  incidents: Incident[];
  frames: number;
}

/**
 * Replays a capture with the detector watching one IP: every frame from or
 * about it, the replies matched or not, each rule's highest window count
 * against its threshold, and the incidents it ended in.
 */
/** "a vRack address", "a router of the provider": an address whose own ARP the detector never counts (InventoryIndex.isProviderFrame), or null. */
export function providerAddress(inv: InventoryIndex, ip: number): string | null {
  if (inv.isVrack(ip)) return 'a vRack address';
  if (inv.routers.get(ip) !== undefined) return 'a router of the provider';
  return null;
}

export async function explainIp(source: FileSource, config: Config, inv: InventoryIndex, ip: number): Promise<Explanation> {
  const detection = new DetectionPipeline(inv, config.detector, [], { recordAll: true });
  const timeline: TimelineLine[] = [];
  const maxCount = new Float64Array(SIGNAL_COUNT);
  const crossedAt: (number | null)[] = new Array<number | null>(SIGNAL_COUNT).fill(null);
  /** requests from the IP awaiting a reply: target → timeline index */
  const asked = new Map<number, number>();
  /** every request from the IP: its time → timeline index (an unresolved request is reported by its time) */
  const requestAt = new Map<number, number>();
  const uncounted = routedSender(inv, ip) ? SignalKind.ROUTED_IP_TARGET : -1;
  const routed = routedSender(inv, ip);
  const maxPeriods = new Float64Array(SIGNAL_COUNT);
  const persistedAt: (number | null)[] = new Array<number | null>(SIGNAL_COUNT).fill(null);
  const needed = detection.detector.persistencePeriods;
  const provider = providerAddress(inv, ip);
  const note = (kind: number, count: number, ts: number): void => {
    if (count > maxCount[kind]) maxCount[kind] = count;
    if (kind !== uncounted && crossedAt[kind] === null && count >= detection.detector.threshold(kind as SignalKind)) crossedAt[kind] = ts;
    if (!routed || !SIGNALS[kind].persistent) return;
    const periods = detection.detector.periodCount(ip, kind as SignalKind);
    if (periods > maxPeriods[kind]) maxPeriods[kind] = periods;
    if (persistedAt[kind] === null && periods >= needed) persistedAt[kind] = ts;
  };
  /** `signal n/threshold` for each signal of `hits`, each noted in the rules' maxima at `ts` */
  const countedNotes = (hits: number, counts: (k: SignalKind) => number, ts: number): string[] => {
    const out: string[] = [];
    for (let k = 0; k < SIGNAL_COUNT; k++) {
      if ((hits & (1 << k)) === 0) continue;
      const n = counts(k as SignalKind);
      note(k, n, ts);
      out.push(`${SIGNAL_NAMES[k]} ${n}/${detection.detector.threshold(k as SignalKind)}`);
    }
    return out;
  };
  detection.detector.setWatch({
    ip,
    onFrame(p: Readonly<ArpPacket>, hits: number, counts: (k: SignalKind) => number) {
      // a vRack address's or a router's own ARP is not listed (explain's frame line says so and names the tcpdump command)
      if (provider !== null && p.senderIp === ip) return;
      const notes: string[] = [];
      if (p.senderIp === ip) {
        for (let k = 0; k < SIGNAL_COUNT; k++) {
          if ((hits & (1 << k)) === 0) continue;
          const n = counts(k as SignalKind);
          note(k, n, p.tsMicros);
          // the rules table says why it is not counted; n/threshold here would read as progress towards a case
          if (k === uncounted) continue;
          notes.push(`${SIGNAL_NAMES[k]} ${n}/${detection.detector.threshold(k as SignalKind)}`);
        }
        if (p.op === ARP_REQUEST && !p.gratuitous) {
          asked.set(p.targetIp, timeline.length);
          requestAt.set(p.tsMicros, timeline.length);
        }
      }
      if (p.op === ARP_REPLY && p.targetIp === ip) {
        const i = asked.get(p.senderIp);
        if (i !== undefined) {
          const ms = (p.tsMicros - timeline[i].tsMicros) / 1000;
          timeline[i].notes.push(`answered in ${ms.toFixed(1)} ms by ${macToString(p.senderMac)}`);
          asked.delete(p.senderIp);
        }
      }
      timeline.push({ tsMicros: p.tsMicros, line: formatTcpdump(p), notes });
    },
    onUnresolved(request: Readonly<ArpPacket>, at: number, hits: number, counts: (k: SignalKind) => number) {
      const counted = countedNotes(hits, counts, at);
      const i = requestAt.get(request.tsMicros);
      if (i !== undefined) timeline[i].notes.push(`no reply within ${config.detector.reply_timeout_seconds} s (${counted.join(', ')})`);
    },
    onAnswered(request: Readonly<ArpPacket>, at: number, hits: number, counts: (k: SignalKind) => number) {
      const counted = countedNotes(hits, counts, at);
      const i = requestAt.get(request.tsMicros);
      // the reply's own line follows ("answered in ... by ..."): this says why an answered question still counts
      if (i !== undefined) timeline[i].notes.push(`${counted.join(', ')} (asked for a routed IP: answered by its host, not through the gateway)`);
    },
  });
  const run = await runPipeline(source, detection.onArp);
  if (run.summary.lastTs >= 0) detection.advanceTo(run.summary.lastTs);
  const rules: RuleOutcome[] = [];
  for (let k = 0; k < SIGNAL_COUNT; k++) {
    rules.push({
      signal: SIGNAL_NAMES[k], threshold: detection.detector.threshold(k as SignalKind), maxCount: maxCount[k], crossedAt: crossedAt[k],
      persistence: routed && SIGNALS[k].persistent ? { maxPeriods: maxPeriods[k], needed, reachedAt: persistedAt[k] } : null,
      notCounted: k === uncounted ? NOT_COUNTED_FOR_ROUTED : null,
    });
  }
  return { provider, timeline, rules, incidents: detection.incidents!.filter((i) => i.ip === ip), frames: run.summary.frames };
}

