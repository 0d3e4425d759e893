import { hash } from 'node:crypto';
import { CASE_COUNT, caseIndex, isCustomerCase } from '../classify/cases.js';
import type { CaseId, Verdict } from '../classify/verdict.js';
import type { VerdictKey } from '../classify/classify.js';
import { IpMap } from '../common/ip-map.js';
import { ipToString } from '../decode/addr.js';
import { SIGNAL_NAMES, type Signal } from '../detect/signal.js';
import { ARP_REQUEST, type ArpPacket } from '../decode/arp-packet.js';
import { EvidenceFrames } from './evidence-frames.js';
import { framedIncident } from './framed-incident.js';
import { type FloodTally, openFlood } from './flood.js';
import type { RestoredIncident } from './saved-incident.js';
import type { Incident, IncidentChange, IncidentEvidence } from './incident.js';
import { openOverflow } from './overflow.js';
import { persistentQuietMicros } from './persistent-quiet.js';

export interface IncidentBookOptions {
  /** resolve once no evidence at or past its threshold has been seen this long, µs */
  quietMicros: number;
  /** sample lines kept per incident */
  samples: number;
  /** an open incident reports 'updated' at most this often, µs of packet time */
  updateEveryMicros: number;
  /** resolved incidents kept in memory (the newest), for the page and the summary; the sinks have had them all */
  history: number;
  /** NOC-only incidents open at once in one VLAN that make a flood (detector.flood_senders); absent: never */
  floodSenders?: number;
  /** incidents open at once (detector.max_open_incidents); past it new ones are not opened but counted in one `overflow` incident; absent: no cap */
  maxOpen?: number;
  /** detector.persistence's period, periods needed and horizon, seconds: what an incident opened by persistence says of itself, and how long it stays open */
  persistence?: { periodSeconds: number; periods: number; horizonSeconds: number };
  /** the ARP senders seen (the detector's): a portable block's incident takes its block's at each change; absent: none taken */
  senders?: SendersSeen;
}

/** Which addresses of a range have been seen as ARP senders. */
export interface SendersSeen {
  /** the sender IPs in [first, last] (uint32), ascending */
  sendersWithin(first: number, last: number): number[];
}

/** Builds the full verdict of a case when its incident opens, and again from the current inventory after a reload. */
export interface VerdictSource {
  verdict(s: Readonly<Signal>, caseId: CaseId): Verdict;
  reverdict(k: Readonly<VerdictKey>): Verdict;
}

/**
 * Open, update and resolve incidents, one per (IP, case), on packet time.
 * Noise on an IP that already has a customer case open is added to that case
 * instead of opening a second incident. When a VLAN has `floodSenders` NOC-only
 * incidents open at once they become one `flood` incident of that VLAN, which
 * takes its further noise until it resolves.
 */
export class IncidentBook {
  /**
   * open incidents by case, then IP (a flood's "IP" is its VLAN + 1): no number key above 2^31 in a Map, which
   * would box it on every lookup; `openOrder` lists them in opening order
   */
  private readonly open: IpMap<Incident>[] = Array.from({ length: CASE_COUNT }, () => new IpMap<Incident>());
  private readonly openOrder = new Set<Incident>();
  /** when each open incident last reported 'updated' (a field written in place: a number in a Map is boxed per set) */
  private readonly lastReported = new Map<Incident, { at: number }>();
  /** the newest resolved incidents, oldest first, at most `history` */
  private readonly resolved: Incident[] = [];
  private now = 0;
  /** open incidents by the time they would resolve (a min-heap; an entry is stale when its incident saw evidence since) */
  private readonly due = new DueHeap();
  /** open NOC-only incidents (not floods) by VLAN: a flood's members */
  private readonly nocByVlan = new Map<number, Set<Incident>>();
  /** open floods by VLAN, with their tallies */
  private readonly floods = new Map<number, { incident: Incident; tally: FloodTally }>();
  /** the open `overflow` incident, while incidents are refused for the cap */
  private overflow: { incident: Incident; tally: FloodTally } | null = null;
  /** signals that would have opened an incident had the cap allowed it, since the start */
  private refused = 0;
  /** when each open incident last had evidence under its window's threshold, by persistence alone (written in place) */
  private readonly persistentAt = new Map<Incident, { at: number }>();
  /** how long such evidence keeps an incident open (persistent-quiet.ts); 0 without persistence */
  private readonly persistentQuiet: number;

  constructor(private readonly opts: IncidentBookOptions, private readonly onChange: (c: IncidentChange) => void) {
    this.persistentQuiet = opts.persistence === undefined ? 0 : persistentQuietMicros(opts.persistence);
  }

  record(caseId: CaseId, s: Readonly<Signal>, verdicts: VerdictSource): void {
    // the signal's time read here, not passed on: a double argument to a call that is not inlined is boxed
    if (s.tsMicros > this.now) this.now = s.tsMicros;
    this.settle();
    const caseIdx = caseIndex(caseId);
    const isNoise = !isCustomerCase(caseId);
    let inc = this.open[caseIdx].get(s.ip | 0); // as int32 (see IpMap): never boxed
    if (inc === undefined && isNoise) inc = this.openCaseOn(s);
    if (isNoise && (inc === undefined || !isCustomerCase(inc.caseId))) {
      const flood = this.floods.get(s.vlan);
      if (flood !== undefined) return this.recordFlood(flood.incident, flood.tally, s);
    }
    const name = SIGNAL_NAMES[s.kind];
    if (inc === undefined) {
      if (this.opts.maxOpen !== undefined && this.openOrder.size - (this.overflow === null ? 0 : 1) >= this.opts.maxOpen) return this.recordOverflow(s);
      const v = verdicts.verdict(s, caseId);
      const frames = new EvidenceFrames(this.opts.samples);
      inc = framedIncident({
        id: incidentId(v, s.tsMicros),
        caseId: v.caseId, ip: v.ip, mac: s.mac, vlan: s.vlan, verdict: v,
        openedAt: s.tsMicros, lastSeen: s.tsMicros, resolvedAt: null,
        counts: { [name]: s.count },
        evidence: { targets: [], senderMacs: [], vlans: [] }, frames, folded: [], foldedInto: null, flood: null,
        ...this.openedBy(s),
      });
      this.addSample(inc, s.packet);
      const folded = isNoise ? [] : this.foldNocIncidents(inc);
      this.addOpen(caseIdx, v.ip, inc, s.tsMicros);
      this.notePersistent(inc, s);
      this.due.push(s.tsMicros + this.opts.quietMicros, inc);
      this.takeBlockSenders(inc);
      this.onChange({ kind: 'opened', incident: inc });
      for (const f of folded) this.onChange({ kind: 'folded', incident: f });
      if (isNoise) this.addNoc(inc, s);
      return;
    }
    inc.lastSeen = s.tsMicros;
    if (!isNoise || !isCustomerCase(inc.caseId)) inc.mac = s.mac;
    // a signal new to this incident brings its window's events; after that, one event per signal
    const before = inc.counts[name];
    inc.counts[name] = before === undefined ? s.count : before + 1;
    this.addSample(inc, s.packet);
    this.notePersistent(inc, s);
    this.reportUpdate(inc, s);
  }

  /** Evidence by persistence alone (under the window's threshold): the incident stays open as long as such evidence would go on. */
  private notePersistent(inc: Incident, s: Readonly<Signal>): void {
    if (s.periods === 0 || s.count >= s.threshold) return;
    const p = this.persistentAt.get(inc);
    if (p === undefined) this.persistentAt.set(inc, { at: s.tsMicros });
    else if (s.tsMicros > p.at) p.at = s.tsMicros;
  }

  /** The packet time of an open incident's last evidence by persistence alone, or undefined (the state keeps it). */
  persistentEvidenceAt(inc: Readonly<Incident>): number | undefined {
    return this.persistentAt.get(inc as Incident)?.at;
  }

  /** When an open incident resolves if no more evidence comes: the quiet period after its last, or longer after persistent evidence. */
  private dueOf(inc: Incident): number {
    const p = this.persistentAt.get(inc);
    const due = inc.lastSeen + this.opts.quietMicros;
    return p === undefined ? due : Math.max(due, p.at + this.persistentQuiet);
  }

  /** `openedByPersistence` of an incident the signal opens: only when its window's count is under the threshold. */
  private openedBy(s: Readonly<Signal>): Pick<Incident, 'openedByPersistence'> {
    const p = this.opts.persistence;
    if (p === undefined || s.periods === 0 || s.count >= s.threshold) return {};
    return { openedByPersistence: { periods: s.periods, periodSeconds: p.periodSeconds, horizonSeconds: p.horizonSeconds } };
  }

  /** The frame behind a signal as evidence: one of the first `samples` (its line formatted when read), else the latest frames' ring. */
  private addSample(inc: Incident, p: Readonly<ArpPacket>): void {
    const frames = inc.frames!; // every incident the book holds has its frames (opened, flood, overflow, restored)
    if (frames.holds(p)) return;
    if (frames.sampleCount < this.opts.samples) {
      frames.sample(p);
      addEvidence(inc.evidence, p);
    } else {
      frames.later(p);
    }
  }

  /** At most one 'updated' per `updateEveryMicros`; takes the signal (its time read in place, not boxed as an argument). */
  private reportUpdate(inc: Incident, s: Readonly<Signal>): void {
    const last = this.lastReported.get(inc)!;
    if (s.tsMicros - last.at >= this.opts.updateEveryMicros) {
      last.at = s.tsMicros;
      this.takeBlockSenders(inc);
      this.onChange({ kind: 'updated', incident: inc });
    }
  }

  /**
   * A portable block's incident, about to be reported: the block's addresses seen as senders so far (its email reads
   * them), with those it had (a sender the detector has swept out since was still seen in use).
   */
  private takeBlockSenders(inc: Incident): void {
    const range = inc.verdict.portable?.range;
    if (range === undefined || this.opts.senders === undefined) return;
    const now = this.opts.senders.sendersWithin(range.network, range.broadcast);
    const had = inc.blockSenders;
    inc.blockSenders = had === undefined ? now : [...new Set([...had, ...now])].sort((a, b) => a - b);
  }

  private addOpen(caseIdx: number, ip: number, inc: Incident, ts: number): void {
    this.open[caseIdx].set(ip, inc);
    this.openOrder.add(inc);
    this.lastReported.set(inc, { at: ts });
  }

  private removeOpen(inc: Incident): void {
    if (inc === this.overflow?.incident) {
      this.overflow.tally.freeze();
      this.overflow = null;
    } else if (inc.flood !== null) this.open[FLOOD].delete(inc.vlan + 1);
    else this.open[caseIndex(inc.caseId)].delete(inc.ip);
    this.openOrder.delete(inc);
    this.lastReported.delete(inc);
    this.persistentAt.delete(inc);
  }

  /** A NOC-only incident opened: one more in its VLAN, and at the threshold they become a flood. */
  private addNoc(inc: Incident, s: Readonly<Signal>): void {
    let members = this.nocByVlan.get(inc.vlan);
    if (members === undefined) this.nocByVlan.set(inc.vlan, (members = new Set()));
    members.add(inc);
    if (this.opts.floodSenders === undefined || members.size < this.opts.floodSenders) return;
    this.nocByVlan.delete(inc.vlan);
    const list = [...members];
    const flood = openFlood(list, s, this.opts.samples);
    for (const m of list) this.removeOpen(m);
    this.floods.set(inc.vlan, flood);
    this.addOpen(FLOOD, flood.incident.vlan + 1, flood.incident, s.tsMicros);
    this.due.push(s.tsMicros + this.opts.quietMicros, flood.incident);
    this.onChange({ kind: 'opened', incident: flood.incident });
    for (const m of list) this.onChange({ kind: 'folded', incident: m });
  }

  /**
   * Noise in a VLAN with a flood open: the sender's events go to the flood. A sender new to the
   * tally brings its window's events, as a new incident would; a known one (or any, once the
   * tally is full: then the counts are lower bounds), one event per signal.
   */
  private recordFlood(inc: Incident, tally: FloodTally, s: Readonly<Signal>): void {
    inc.lastSeen = s.tsMicros;
    inc.mac = s.mac;
    const name = SIGNAL_NAMES[s.kind];
    const events = tally.isNew(s.ip) ? s.count : 1;
    tally.add(s.ip, events);
    inc.counts[name] = (inc.counts[name] ?? 0) + events;
    this.addSample(inc, s.packet);
    this.reportUpdate(inc, s);
  }

  /** A signal that would open an incident past the cap: the `overflow` incident takes it (opened by the first). */
  private recordOverflow(s: Readonly<Signal>): void {
    this.refused++;
    const name = SIGNAL_NAMES[s.kind];
    let o = this.overflow;
    if (o === null) {
      o = this.overflow = openOverflow(s, this.opts.samples);
      const inc = o.incident;
      o.tally.add(s.ip, s.count);
      inc.counts[name] = s.count;
      this.addSample(inc, s.packet);
      this.openOrder.add(inc);
      this.lastReported.set(inc, { at: s.tsMicros });
      this.due.push(s.tsMicros + this.opts.quietMicros, inc);
      this.onChange({ kind: 'opened', incident: inc });
      return;
    }
    const inc = o.incident;
    inc.lastSeen = s.tsMicros;
    inc.mac = s.mac;
    const events = o.tally.isNew(s.ip) ? s.count : 1;
    o.tally.add(s.ip, events);
    inc.counts[name] = (inc.counts[name] ?? 0) + events;
    this.addSample(inc, s.packet);
    this.reportUpdate(inc, s);
  }

  /** Signals that would have opened an incident past `maxOpen`, since the start (each in the `overflow` incident of its time). */
  get refusedForCap(): number {
    return this.refused;
  }

  /** Resolves the incidents whose quiet period has passed by `ts`. */
  advanceTo(ts: number): void {
    if (ts > this.now) this.now = ts;
    this.settle();
  }

  /** advanceTo(the frame's time), read from the packet: the per-frame call passes no double (one not inlined would box it). */
  advanceToFrame(p: Readonly<{ tsMicros: number }>): void {
    if (p.tsMicros > this.now) this.now = p.tsMicros;
    this.settle();
  }

  /** Resolves the incidents whose quiet period has passed by `this.now`. */
  private settle(): void {
    while (this.due.size > 0 && this.due.times[0] <= this.now) {
      const inc = this.due.pop();
      if (inc.foldedInto !== null) continue; // part of another incident now
      const due = this.dueOf(inc);
      // evidence came since this entry was pushed: it is due later
      if (due > this.now) {
        this.due.push(due, inc);
        continue;
      }
      inc.resolvedAt = due;
      this.removeOpen(inc);
      this.forgetNoc(inc);
      this.remember(inc);
      this.takeBlockSenders(inc);
      this.onChange({ kind: 'resolved', incident: inc });
    }
  }

  openIncidents(): Incident[] {
    return [...this.openOrder];
  }

  /** How many resolved incidents are kept at most (the page keeps no more than this either). */
  get historyLimit(): number {
    return this.opts.history;
  }

  /** The newest resolved incidents still in memory, oldest first. */
  history(): readonly Incident[] {
    return this.resolved;
  }

  /** Resolved incidents still in memory, then the open ones, in opening order: what a summary or a page shows. */
  known(): Incident[] {
    return [...this.resolved, ...this.openOrder].sort((a, b) => a.openedAt - b.openedAt);
  }

  /** How much the book holds: open incidents, their pending reports and resolution entries, the history (a long-running daemon's memory). */
  get sizes(): { open: number; due: number; history: number } {
    return { open: this.openOrder.size, due: this.due.size, history: this.resolved.length };
  }

  /** After an inventory reload: every open incident's verdict (customer, server, contact, mute) from the current inventory. */
  refreshVerdicts(verdicts: VerdictSource): void {
    for (const inc of this.openOrder) {
      if (inc.flood !== null) continue; // nobody's: no inventory entry to follow
      inc.verdict = verdicts.reverdict({ caseId: inc.caseId, ip: inc.ip, mac: inc.mac, otherMac: inc.verdict.staleServer?.mac ?? 0 });
    }
  }

  /**
   * After a restart: the incidents the last run had open, open again as they were, with their ids,
   * counts and evidence. Nothing is told to the sinks (they were told 'opened' then); the verdict comes
   * from the current inventory. Time moves to `now` (the last run's packet time), not past it: an
   * incident resolves when the new run's packet time passes its quiet period, as it would have.
   */
  restore(restored: readonly RestoredIncident[], verdicts: VerdictSource, now: number): void {
    if (now > this.now) this.now = now;
    for (const { incident: inc, tally, otherMac, persistentAt } of restored) {
      if (inc.flood !== null && tally !== null) {
        this.floods.set(inc.vlan, { incident: inc, tally });
        this.addOpen(FLOOD, inc.vlan + 1, inc, inc.lastSeen);
      } else {
        inc.verdict = verdicts.reverdict({ caseId: inc.caseId, ip: inc.ip, mac: inc.mac, otherMac });
        this.addOpen(caseIndex(inc.caseId), inc.ip, inc, inc.lastSeen);
        if (!isCustomerCase(inc.caseId)) {
          let members = this.nocByVlan.get(inc.vlan);
          if (members === undefined) this.nocByVlan.set(inc.vlan, (members = new Set()));
          members.add(inc);
        }
      }
      // as saved; a state from before it was: evidence of an incident persistence opened is taken as persistent, as it was
      if (persistentAt !== undefined) this.persistentAt.set(inc, { at: persistentAt });
      else if (inc.openedByPersistence !== undefined) this.persistentAt.set(inc, { at: inc.lastSeen });
      this.due.push(this.dueOf(inc), inc);
    }
  }

  private remember(inc: Incident): void {
    if (this.opts.history === 0) return;
    // shift is O(history), once per resolved incident: cheap at the sizes a summary or a page shows
    if (this.resolved.length >= this.opts.history) this.resolved.shift();
    this.resolved.push(inc);
  }

  /**
   * A customer case opens on an IP that has NOC-only incidents open (a burst is excessive ARP
   * before its unanswered requests time out into the case's evidence): they become part of it,
   * with their counts, samples and ids, and leave the open set.
   */
  private foldNocIncidents(into: Incident): Incident[] {
    const out: Incident[] = [];
    for (let c = 0; c < CASE_COUNT; c++) {
      const other = c === FLOOD ? undefined : this.open[c].get(into.ip);
      if (other === undefined || isCustomerCase(other.caseId)) continue;
      // its persistent evidence keeps the case open as long (the case has none of its own yet: it opens now)
      const persistent = this.persistentAt.get(other);
      if (persistent !== undefined) this.persistentAt.set(into, { at: persistent.at });
      this.removeOpen(other);
      this.forgetNoc(other);
      other.foldedInto = into.id;
      into.folded.push(other.id, ...other.folded);
      for (const [name, n] of Object.entries(other.counts)) into.counts[name] = (into.counts[name] ?? 0) + n;
      // the evidence in time order: the folded incident's frames (and lines) came first
      into.frames!.prepend(other.frames?.first ?? [], other.samples);
      for (const t of other.evidence.targets) if (!into.evidence.targets.includes(t)) into.evidence.targets.push(t);
      for (const m of other.evidence.senderMacs) if (!into.evidence.senderMacs.includes(m)) into.evidence.senderMacs.push(m);
      for (const v of other.evidence.vlans) if (!into.evidence.vlans.includes(v)) into.evidence.vlans.push(v);
      out.push(other);
    }
    return out;
  }

  /** A NOC-only incident or a flood left the open set. */
  private forgetNoc(inc: Incident): void {
    if (isCustomerCase(inc.caseId)) return;
    if (inc.flood !== null) {
      const f = this.floods.get(inc.vlan);
      if (f?.incident === inc) {
        f.tally.freeze();
        this.floods.delete(inc.vlan);
      }
      return;
    }
    const members = this.nocByVlan.get(inc.vlan);
    if (members === undefined) return;
    members.delete(inc);
    if (members.size === 0) this.nocByVlan.delete(inc.vlan);
  }

  /** A customer case (not noise) open on this IP, if any. */
  private openCaseOn(s: Readonly<Signal>): Incident | undefined {
    for (let c = 0; c < CASE_COUNT; c++) {
      if (c === FLOOD) continue; // keyed by VLAN, not IP
      const inc = this.open[c].get(s.ip | 0);
      if (inc !== undefined && isCustomerCase(inc.caseId)) return inc;
    }
    return undefined;
  }
}

function addEvidence(e: IncidentEvidence, p: Readonly<ArpPacket>): void {
  if (p.op === ARP_REQUEST && !e.targets.includes(p.targetIp)) e.targets.push(p.targetIp);
  if (!e.senderMacs.includes(p.senderMac)) e.senderMacs.push(p.senderMac);
  if (!e.vlans.includes(p.vlan)) e.vlans.push(p.vlan);
}

const FLOOD = caseIndex('flood');

function incidentId(v: Verdict, openedAt: number): string {
  // the one-shot hash: a Hash object per incident cost more than the digest
  const h = hash('sha256', `${ipToString(v.ip)}|${v.caseId}|${openedAt}`, 'hex');
  return `${v.caseId}-${ipToString(v.ip)}-${h.slice(0, 10)}`;
}

/** A binary min-heap of (time, incident). */
class DueHeap {
  /** times[0] is the next due: read in place (a call returning a double boxes it when not inlined) */
  readonly times: number[] = [];
  private readonly items: Incident[] = [];

  get size(): number {
    return this.times.length;
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
