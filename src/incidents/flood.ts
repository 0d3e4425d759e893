import { createHash } from 'node:crypto';
import { vlanLabel } from '../decode/vlan-key.js';
import { nobodysVerdict } from '../classify/verdict.js';
import type { Signal } from '../detect/signal.js';
import { EvidenceFrames } from './evidence-frames.js';
import { framedIncident } from './framed-incident.js';
import type { FloodSender, FloodSenders, Incident } from './incident.js';

/** Senders tallied one by one per flood; past it their events are counted together (memory stays bounded). */
export const MAX_TALLIED_SENDERS = 1000;
/** Senders a flood names, most events first. */
export const TOP_SENDERS = 10;

/**
 * Events per sender of one flood, in a capped map: the first MAX_TALLIED_SENDERS senders are
 * counted exactly, later ones only in `untalliedEvents` (then the sender count is a lower bound).
 * A resolved flood keeps its top senders and drops the map.
 */
export class FloodTally implements FloodSenders {
  private tallies: Map<number, number> | null = new Map();
  private frozen: FloodSender[] | null = null;
  private senders = 0;
  atLeast = false;
  /** events of the senders past the cap */
  untalliedEvents = 0;

  constructor(readonly firstSeen: number, private readonly cap = MAX_TALLIED_SENDERS) {}

  get count(): number {
    return this.senders;
  }

  /** A sender the tally has room for and has not seen yet. */
  isNew(ip: number): boolean {
    const t = this.tallies;
    return t !== null && t.size < this.cap && !t.has(ip);
  }

  /** Adds a sender's events: tallied while there is room, counted together past the cap. */
  add(ip: number, events: number): void {
    const t = this.tallies;
    if (t === null) throw new Error('a resolved flood takes no more events');
    const before = t.get(ip);
    if (before !== undefined) {
      t.set(ip, before + events);
      return;
    }
    if (t.size < this.cap) {
      t.set(ip, events);
      this.senders++;
    } else {
      this.atLeast = true;
      this.untalliedEvents += events;
    }
  }

  top(): FloodSender[] {
    if (this.frozen !== null) return this.frozen.map((s) => ({ ...s }));
    // a bounded insertion into the top list: one pass over at most `cap` tallies, when a change is reported
    const top: FloodSender[] = [];
    for (const [ip, events] of this.tallies!) {
      if (top.length === TOP_SENDERS && events <= top[TOP_SENDERS - 1].events) continue;
      let i = top.length;
      while (i > 0 && top[i - 1].events < events) i--;
      top.splice(i, 0, { ip, events });
      if (top.length > TOP_SENDERS) top.pop();
    }
    return top;
  }

  /** The flood resolved: keep what it shows, forget the per-sender map. */
  freeze(): void {
    this.frozen = this.top();
    this.tallies = null;
  }

  /** What a restart needs to carry the tally on: every tallied sender and its events, and the events past the cap. */
  saved(): { senders: [number, number][]; untalliedEvents: number; atLeast: boolean } {
    return { senders: [...(this.tallies ?? [])], untalliedEvents: this.untalliedEvents, atLeast: this.atLeast };
  }

  /** The tally of a flood a previous run saved (`saved()`), open again. */
  static restored(firstSeen: number, saved: ReturnType<FloodTally['saved']>): FloodTally {
    const t = new FloodTally(firstSeen);
    for (const [ip, events] of saved.senders) t.add(ip, events);
    t.untalliedEvents += saved.untalliedEvents;
    t.atLeast ||= saved.atLeast;
    return t;
  }
}

/** One flood per (VLAN, period): the id from the VLAN and the opening time, so a replay gives the same id. */
export function floodId(vlan: number, openedAt: number): string {
  const where = vlan < 0 ? 'untagged' : `vlan${vlanLabel(vlan)}`;
  const h = createHash('sha256').update(`flood|${vlan}|${openedAt}`).digest('hex');
  return `flood-${where}-${h.slice(0, 10)}`;
}

/**
 * The flood incident of a VLAN made from its open NOC-only incidents (in opening order) when the
 * signal `s` brings their number to the threshold. The members are marked folded into it; their
 * counts, ids and senders become the flood's, and the samples take one frame of each member in
 * turn (a flood's evidence is its many senders), up to `samples`.
 */
export function openFlood(members: readonly Incident[], s: Readonly<Signal>, samples: number): { incident: Incident; tally: FloodTally } {
  let firstSeen = s.tsMicros;
  for (const m of members) firstSeen = Math.min(firstSeen, m.openedAt);
  const tally = new FloodTally(firstSeen);
  const id = floodId(s.vlan, s.tsMicros);
  const frames = new EvidenceFrames(samples);
  const inc: Incident = framedIncident({
    id,
    caseId: 'flood', ip: 0, mac: s.mac, vlan: s.vlan,
    verdict: nobodysVerdict('flood', 0),
    openedAt: s.tsMicros, lastSeen: s.tsMicros, resolvedAt: null,
    counts: {},
    evidence: { targets: [], senderMacs: [], vlans: [] }, frames, folded: [], foldedInto: null, flood: tally,
  });
  for (const m of members) {
    m.foldedInto = id;
    inc.folded.push(m.id, ...m.folded);
    let events = 0;
    for (const [name, n] of Object.entries(m.counts)) {
      inc.counts[name] = (inc.counts[name] ?? 0) + n;
      events += n;
    }
    tally.add(m.ip, events);
    union(inc.evidence.targets, m.evidence.targets, samples);
    union(inc.evidence.senderMacs, m.evidence.senderMacs, samples);
    union(inc.evidence.vlans, m.evidence.vlans, samples);
  }
  const lines: string[] = [];
  const memberLines = members.map((m) => m.samples);
  const memberFrames = members.map((m) => m.frames?.first ?? []);
  for (let k = 0; lines.length < samples; k++) {
    const before = lines.length;
    for (let i = 0; i < members.length; i++) {
      if (k >= memberLines[i].length || lines.length >= samples) continue;
      lines.push(memberLines[i][k]);
      const f = memberFrames[i][k];
      if (f !== undefined) frames.sample(f);
    }
    if (lines.length === before) break;
  }
  frames.setLines(lines);
  return { incident: inc, tally };
}

/** Adds the values of `from` missing in `into`, keeping `into` at most `cap` long. */
function union(into: number[], from: readonly number[], cap: number): void {
  for (const v of from) if (into.length < cap && !into.includes(v)) into.push(v);
}
