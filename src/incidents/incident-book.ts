import { createHash } from 'node:crypto';
import { CASE_IDS, type CaseId, type Verdict } from '../classify/verdict.js';
import { ipToString } from '../decode/addr.js';
import { formatTcpdump } from '../decode/format-tcpdump.js';
import { SIGNAL_NAMES, type Signal } from '../detect/signal.js';
import { ARP_REQUEST, type ArpPacket } from '../decode/arp-packet.js';
import type { Incident, IncidentChange, IncidentEvidence } from './incident.js';

export interface IncidentBookOptions {
  /** resolve once no evidence at or past its threshold has been seen this long, µs */
  quietMicros: number;
  /** sample lines kept per incident */
  samples: number;
  /** an open incident reports 'updated' at most this often, µs of packet time */
  updateEveryMicros: number;
}

const CASE_INDEX = new Map(CASE_IDS.map((c, i) => [c, i]));
const NOISE = CASE_INDEX.get('noise')!;

/** Builds the full verdict of a case, once, when its incident opens. */
export interface VerdictSource {
  verdict(s: Readonly<Signal>, caseId: CaseId): Verdict;
}

/**
 * Open, update and resolve incidents, one per (IP, case), on packet time.
 * Noise on an IP that already has a customer case open is added to that case
 * instead of opening a second incident.
 */
export class IncidentBook {
  private readonly open = new Map<number, Incident>();
  private readonly lastReported = new Map<Incident, number>();
  /** every incident ever opened, in opening order (replay prints them) */
  readonly all: Incident[] = [];
  private now = 0;
  /** open incidents by the time they would resolve (a min-heap; an entry is stale when its incident saw evidence since) */
  private readonly due = new DueHeap();

  constructor(private readonly opts: IncidentBookOptions, private readonly onChange: (c: IncidentChange) => void) {}

  record(caseId: CaseId, s: Readonly<Signal>, verdicts: VerdictSource): void {
    this.advanceTo(s.tsMicros);
    const caseIdx = CASE_INDEX.get(caseId)!;
    let inc = this.open.get(key(s.ip, caseIdx));
    if (inc === undefined && caseIdx === NOISE) inc = this.openCaseOn(s.ip);
    const name = SIGNAL_NAMES[s.kind];
    if (inc === undefined) {
      const v = verdicts.verdict(s, caseId);
      inc = {
        id: incidentId(v, s.tsMicros),
        caseId: v.caseId, ip: v.ip, mac: s.mac, vlan: s.vlan, verdict: v,
        openedAt: s.tsMicros, lastSeen: s.tsMicros, resolvedAt: null,
        counts: { [name]: s.count }, samples: [formatTcpdump(s.packet)],
        evidence: { targets: [], senderMacs: [], vlans: [] },
      };
      addEvidence(inc.evidence, s.packet);
      this.open.set(key(v.ip, caseIdx), inc);
      this.all.push(inc);
      this.lastReported.set(inc, s.tsMicros);
      this.due.push(s.tsMicros + this.opts.quietMicros, inc);
      this.onChange({ kind: 'opened', incident: inc });
      return;
    }
    inc.lastSeen = s.tsMicros;
    if (caseIdx !== NOISE || inc.caseId === 'noise') inc.mac = s.mac;
    // a signal new to this incident brings its window's events; after that, one event per signal
    const before = inc.counts[name];
    inc.counts[name] = before === undefined ? s.count : before + 1;
    if (inc.samples.length < this.opts.samples) {
      inc.samples.push(formatTcpdump(s.packet));
      addEvidence(inc.evidence, s.packet);
    }
    const last = this.lastReported.get(inc)!;
    if (s.tsMicros - last >= this.opts.updateEveryMicros) {
      this.lastReported.set(inc, s.tsMicros);
      this.onChange({ kind: 'updated', incident: inc });
    }
  }

  /** Resolves the incidents whose quiet period has passed by `ts`. */
  advanceTo(ts: number): void {
    if (ts > this.now) this.now = ts;
    const quiet = this.opts.quietMicros;
    while (this.due.size > 0 && this.due.peekTime() <= this.now) {
      const inc = this.due.pop();
      const due = inc.lastSeen + quiet;
      // evidence came since this entry was pushed: it is due later
      if (due > this.now) {
        this.due.push(due, inc);
        continue;
      }
      inc.resolvedAt = due;
      this.open.delete(key(inc.ip, CASE_INDEX.get(inc.caseId)!));
      this.lastReported.delete(inc);
      this.onChange({ kind: 'resolved', incident: inc });
    }
  }

  openIncidents(): Incident[] {
    return [...this.open.values()];
  }

  /** A customer case (not noise) open on this IP, if any. */
  private openCaseOn(ip: number): Incident | undefined {
    for (let c = 0; c < CASE_IDS.length; c++) {
      if (c === NOISE) continue;
      const inc = this.open.get(key(ip, c));
      if (inc !== undefined) return inc;
    }
    return undefined;
  }
}

function addEvidence(e: IncidentEvidence, p: Readonly<ArpPacket>): void {
  if (p.op === ARP_REQUEST && !e.targets.includes(p.targetIp)) e.targets.push(p.targetIp);
  if (!e.senderMacs.includes(p.senderMac)) e.senderMacs.push(p.senderMac);
  if (!e.vlans.includes(p.vlan)) e.vlans.push(p.vlan);
}

function key(ip: number, caseIdx: number): number {
  return ip * 16 + caseIdx;
}

function incidentId(v: Verdict, openedAt: number): string {
  const h = createHash('sha256').update(`${ipToString(v.ip)}|${v.caseId}|${openedAt}`).digest('hex');
  return `${v.caseId}-${ipToString(v.ip)}-${h.slice(0, 10)}`;
}

/** A binary min-heap of (time, incident). */
class DueHeap {
  private readonly times: number[] = [];
  private readonly items: Incident[] = [];

  get size(): number {
    return this.times.length;
  }

  peekTime(): number {
    return this.times[0];
  }

  push(time: number, item: Incident): void {
    const t = this.times;
    const it = this.items;
    let i = t.length;
    t.push(time);
    it.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (t[parent] <= time) break;
      t[i] = t[parent];
      it[i] = it[parent];
      i = parent;
    }
    t[i] = time;
    it[i] = item;
  }

  pop(): Incident {
    const t = this.times;
    const it = this.items;
    const top = it[0];
    const lastT = t.pop()!;
    const lastI = it.pop()!;
    const n = t.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && t[r] < t[l] ? r : l;
        if (t[c] >= lastT) break;
        t[i] = t[c];
        it[i] = it[c];
        i = c;
      }
      t[i] = lastT;
      it[i] = lastI;
    }
    return top;
  }
}
