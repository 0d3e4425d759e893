import type { DetectorSettings } from './detector-settings.js';
import type { SignalName } from './signals.js';
import { ARP_REPLY, type ArpPacket } from '../decode/arp-packet.js';
import { FAILOVER_STRIDE, FO_GATEWAY, FO_SERVER_MAC, FO_VMAC, type InventoryIndex, ROLE_BLOCK, ROLE_FAILOVER } from '../inventory/inventory-index.js';
import type { RoutedBlock } from '../inventory/model.js';
import { PendingRequests } from './pending-requests.js';
import { type FrameRule, isQuestion } from './rules/rule.js';
import { QUESTION_ONLY, roleSignals } from './role-signals.js';
import { RoutedTargets } from './routed-targets.js';
import { routedIpTarget } from './rules/routed-ip-target.js';
import { SenderRole } from './sender-role.js';
import { VLAN_ROWS, VlanRows } from '../decode/vlan-rows.js';
import { COUNTS, HEAD, IP, LAST_SEEN, MAC, PREVIOUS_MAC, ROLE, ROLE_GATEWAY, ROLE_SERVER_MAC, ROLE_VMAC, SenderTable, VLAN } from './sender-table.js';
import { windowAdd, windowCount } from './sliding-counters.js';
import type { Signal, SignalSink } from './signal.js';
import { PeriodSets } from './persistence.js';
import { PERSISTENT_COUNT, PERSISTENT_INDEX, SIGNAL_COUNT, SignalKind, SIGNALS } from './signals.js';

/** The signals' triggers as numbers, indexed by SignalKind (the hot path reads these, not the registry's objects). */
const ON_FRAME = 1;
const ON_UNANSWERED = 2;
const ON_MAC_CHANGE = 3;
const TRIGGER = Uint8Array.from(SIGNALS, (s) => (s.trigger.on === 'frame' ? ON_FRAME : s.trigger.on === 'unanswered' ? ON_UNANSWERED : ON_MAC_CHANGE));
const NEVER: FrameRule = () => false;
const MATCH: readonly FrameRule[] = SIGNALS.map((s) => ('match' in s.trigger ? s.trigger.match : NEVER));
/** the signals whose rule is isQuestion itself: answered once a frame, not by a call each (calls through MATCH are not inlined) */
const IS_QUESTION = Uint8Array.from(MATCH, (m) => (m === isQuestion ? 1 : 0));
/** the signals whose rule holds only for a routed target: not called when RoutedTargets rules the target out */
const ROUTED_TARGET = Uint8Array.from(MATCH, (m) => (m === routedIpTarget ? 1 : 0));
/** the pending flag of an off-link question */
const OFF_LINK_BIT = 1 << SignalKind.OFF_LINK_TARGET;
/** the counts of a frame the detector skips (explain's watch still sees it) */
const NO_COUNTS = (): number => 0;

/** Called for every frame of a watched IP (explain): which signals it counted toward and the window counts after it. */
export interface DetectorWatch {
  ip: number;
  onFrame(p: Readonly<ArpPacket>, hits: number, counts: (kind: SignalKind) => number): void;
  /** a request that got no reply; `hits` as in onFrame (the signals counted on an unanswered question: unresolved_arp, off_link_target...) */
  onUnresolved(request: Readonly<ArpPacket>, expiredAt: number, hits: number, counts: (kind: SignalKind) => number): void;
  /** a request whose answer, at `answeredAt`, counted as evidence (an off-link question for a routed IP, answered by that IP's host); before the reply's onFrame */
  onAnswered(request: Readonly<ArpPacket>, answeredAt: number, hits: number, counts: (kind: SignalKind) => number): void;
}

export interface DetectorStats {
  senders: number;
  sendersUntracked: number;
  sendersEvicted: number;
  pending: number;
  pendingDropped: number;
  /** frames ignored: routers' own ARP, vRack, probes */
  ignored: number;
}

/**
 * Turns ARP frames into signals: per sender IP, sliding-window counts on packet
 * time (never the clock), pending requests matched by replies, and the frame
 * rules of rules/. A signal is emitted for each event that finds its count at or
 * past its threshold. Decides nothing about customers or cases (classify/ does).
 */
export class Detector {
  private readonly senders: SenderTable;
  private readonly pending: PendingRequests;
  private readonly role = new SenderRole();
  private readonly signal: Signal;
  /** the inventory's failover hot fields the senders' role codes point into (a new array: the codes are looked up again) */
  private hot: Float64Array;
  /** the /24s of routed addresses (rebuilt with the roles) */
  private readonly routedTargets: RoutedTargets;
  private readonly buckets: number;
  private readonly bucketMicros: number;
  private readonly timeoutMicros: number;
  private readonly thresholds: Uint32Array;
  /** persistence: period length, the distinct periods that make a signal persistent, the sets */
  private readonly periodMicros: number;
  private readonly persistPeriods: number;
  private readonly persist: PeriodSets;
  private now = 0;
  private ignored = 0;
  private watch: DetectorWatch | null = null;
  /** where expired requests' signals go during one advanceTo (a field, so the callback below is bound once, not per frame) */
  private sink: SignalSink = () => {};
  /** requests that expired unanswered, by row of unresolvedVlanRows: the metrics' unresolved ARP per VLAN */
  readonly unresolvedByVlan = new Float64Array(VLAN_ROWS);
  readonly unresolvedVlanRows = new VlanRows();
  private readonly onExpired = (flags: number): void => {
    this.unresolvedByVlan[this.unresolvedVlanRows.row(this.pending.expiredVlan)]++;
    this.unresolved(flags, this.sink);
  };

  constructor(private inv: InventoryIndex, private readonly cfg: DetectorSettings) {
    this.bucketMicros = Math.round((cfg.window_seconds * 1e6) / cfg.buckets);
    this.timeoutMicros = Math.round(cfg.reply_timeout_seconds * 1e6);
    const ps = cfg.persistence;
    this.periodMicros = ps.period_seconds * 1e6;
    this.persistPeriods = ps.periods;
    this.persist = new PeriodSets(PERSISTENT_COUNT, Math.floor(ps.horizon_seconds / ps.period_seconds));
    this.buckets = cfg.buckets;
    this.senders = new SenderTable(cfg.max_senders, cfg.buckets, cfg.sender_idle_seconds * 1e6, this.persist);
    this.pending = new PendingRequests(cfg.max_pending, this.senders);
    this.thresholds = Uint32Array.from(SIGNALS, (d) => cfg.thresholds[d.name]);
    this.hot = inv.failoverHot();
    this.routedTargets = new RoutedTargets(inv);
    this.signal = { kind: 0, ip: 0, mac: 0, previousMac: 0, distinctMacs: 0, vlan: -1, tsMicros: 0, count: 0, threshold: 0, periods: 0, packet: null as unknown as ArpPacket };
  }

  /** A reloaded inventory: what is tracked stays, lookups use the new one from the next frame. */
  setInventory(inv: InventoryIndex): void {
    this.inv = inv;
    this.refreshRoles();
  }

  /** Reloaded thresholds (SIGHUP): the windows keep their counts, the next event is compared with the new value. */
  setThresholds(t: Readonly<Record<SignalName, number>>): void {
    for (let k = 0; k < SIGNALS.length; k++) this.thresholds[k] = t[SIGNALS[k].name];
  }

  /** Each tracked sender's role code, looked up again (a reloaded inventory: an index does not change once built). */
  private refreshRoles(): void {
    const st = this.senders;
    this.hot = this.inv.failoverHot();
    this.routedTargets.rebuild(this.inv);
    for (let s = 0; s < st.slots; s++) if (st.isLive(s)) this.setRole(s, this.inv.roleCode(st.i32[s * st.i32Stride + IP]));
  }

  /** The sender's role code, and a failover's hot fields copied into its record (what the rules read per frame). */
  private setRole(s: number, code: number): void {
    const st = this.senders;
    st.i32[s * st.i32Stride + ROLE] = code;
    if ((code & 3) !== ROLE_FAILOVER) return;
    const o = (code >>> 2) * FAILOVER_STRIDE;
    const f = s * st.f64Stride;
    st.f64[f + ROLE_VMAC] = this.hot[o + FO_VMAC];
    st.f64[f + ROLE_SERVER_MAC] = this.hot[o + FO_SERVER_MAC];
    st.f64[f + ROLE_GATEWAY] = this.hot[o + FO_GATEWAY];
  }

  /** Watch one IP's frames and rule outcomes (for `arpwarden explain`). */
  setWatch(w: DetectorWatch | null): void {
    this.watch = w;
  }

  threshold(kind: SignalKind): number {
    return this.thresholds[kind];
  }

  /** Distinct periods, within the horizon, that make a persistent signal evidence (explain). */
  get persistencePeriods(): number {
    return this.persistPeriods;
  }

  /** The distinct persistence periods of `kind` seen for `ip` within the horizon now (0 if untracked or not persistent). */
  periodCount(ip: number, kind: SignalKind): number {
    const s = this.senders.slotOf(ip);
    const pk = PERSISTENT_INDEX[kind];
    const set = s < 0 ? -1 : this.senders.persist[s];
    return set < 0 || pk < 0 ? 0 : this.persist.count(set, pk, Math.floor(this.now / this.periodMicros));
  }

  /** The current window count of `kind` for `ip` (0 if untracked). */
  windowCount(ip: number, kind: SignalKind): number {
    const s = this.senders.slotOf(ip);
    return s < 0 ? 0 : this.counts(s, kind, Math.floor(this.now / this.bucketMicros));
  }

  private counts(s: number, kind: SignalKind, bucket: number): number {
    const st = this.senders;
    return windowCount(st.counts, s * st.u16Stride + COUNTS, st.f64, s * st.f64Stride + HEAD, this.buckets, kind, bucket);
  }

  get time(): number {
    return this.now;
  }

  /** Moves packet time forward: requests past the reply timeout become unresolved. */
  advanceTo(ts: number, emit: SignalSink): void {
    if (ts <= this.now) return;
    this.now = ts;
    this.settle(emit);
  }

  /** Packet time has moved to `this.now` (read from fields, not passed: a double argument to a call not inlined is boxed). */
  private settle(emit: SignalSink): void {
    this.sink = emit;
    this.senders.now = this.now;
    this.pending.now = this.now;
    this.pending.expireDue(this.timeoutMicros, this.onExpired);
  }

  observe(p: Readonly<ArpPacket>, emit: SignalSink): void {
    if (p.tsMicros > this.now) {
      this.now = p.tsMicros;
      this.settle(emit);
    }
    const now = this.now; // a frame older than the last one counts as now: time never runs back
    const inv = this.inv;
    if (p.op === ARP_REPLY && !p.gratuitous) this.answered(p, emit);
    // the provider's own gateways, vRack, probes and unaddressed frames are never a customer's noise
    if (inv.isProviderFrame(p)) {
      this.ignored++;
      // explain lists them (the router's replies to the watched IP: a request's "answered by"), though none counts
      if (this.watch !== null && (p.senderIp === this.watch.ip || p.targetIp === this.watch.ip)) this.watch.onFrame(p, 0, NO_COUNTS);
      return;
    }
    const st = this.senders;
    const s = st.getOrCreate(p);
    if (s < 0) return;
    if (st.created) this.setRole(s, inv.roleCode(p.senderIp | 0));
    st.f64[s * st.f64Stride + LAST_SEEN] = now;
    st.i32[s * st.i32Stride + VLAN] = p.vlan;
    const flipped = st.seeMac(s, p, this.cfg.spoof_macs);
    const bucket = Math.floor(now / this.bucketMicros);
    const role = this.role.load(st.i32[s * st.i32Stride + ROLE], inv, st.f64, s * st.f64Stride);
    let hits = 0;
    const routed = role.routed;
    // a question is held until answered; what it is evidence of if it goes unanswered is decided now, by the unanswered rules
    // (an off-link question counts only once unanswered: a /32 alias may rightly ask a neighbour of its server's own subnet)
    let pendingFlags = 0;
    const question = isQuestion(p);
    // the rules moot for this role are skipped; lowest kind first, the order signals are counted in
    for (let todo = question ? roleSignals(role) : roleSignals(role) & ~QUESTION_ONLY; todo !== 0; todo &= todo - 1) {
      const k = 31 - Math.clz32(todo & -todo);
      const trigger = TRIGGER[k];
      if (trigger === ON_FRAME) {
        if (IS_QUESTION[k] === 1 ? question : (ROUTED_TARGET[k] === 0 || this.routedTargets.mayHold(p.targetIp)) && MATCH[k](p, role, inv)) {
          hits |= this.count(s, k, bucket, p, routed, emit);
        }
      } else if (trigger === ON_UNANSWERED) {
        if (IS_QUESTION[k] === 1 ? question : MATCH[k](p, role, inv)) pendingFlags |= 1 << k;
      } else if (flipped) {
        hits |= this.count(s, k, bucket, p, routed, emit);
      }
    }
    if (pendingFlags !== 0) this.pending.add(p, pendingFlags, s);
    if (this.watch !== null && (p.senderIp === this.watch.ip || p.targetIp === this.watch.ip)) {
      this.watch.onFrame(p, hits, (k) => this.counts(s, k, bucket));
    }
  }

  /** The sender IPs in [first, last] (uint32) the detector tracks, ascending: the addresses of a range seen in use. Not per frame: it allocates. */
  sendersWithin(first: number, last: number): number[] {
    return this.senders.ipsWithin(first, last);
  }

  /**
   * The reply comes from the routed IP's own host: its server's MAC or its virtual MAC (an unsplit block's: its
   * server's). Not a router's proxy ARP, nor the old server of an IP rerouted since (the duplicate case): the asker's
   * question found no direct path to the IP's host then. Only for the replies that answer an off-link question.
   */
  private answeredByItsHost(p: Readonly<ArpPacket>): boolean {
    const inv = this.inv;
    if (inv.isProviderFrame(p)) return false;
    const code = inv.roleCode(p.senderIp | 0);
    const kind = code & 3;
    if (kind === ROLE_FAILOVER) {
      const o = (code >>> 2) * FAILOVER_STRIDE;
      return p.senderMac === this.hot[o + FO_SERVER_MAC] || p.senderMac === this.hot[o + FO_VMAC];
    }
    if (kind !== ROLE_BLOCK) return false;
    const server = (inv.roleObject(code >>> 2) as RoutedBlock).server;
    return server !== null && p.senderMac === server.mac;
  }

  /** Bytes of the sender table's and the pending requests' typed arrays (the memory benchmark's split). */
  memory(): { senders: number; pending: number } {
    return { senders: this.senders.byteSize, pending: this.pending.byteSize };
  }

  stats(): DetectorStats {
    return {
      senders: this.senders.size,
      sendersUntracked: this.senders.untracked,
      sendersEvicted: this.senders.evicted,
      pending: this.pending.size,
      pendingDropped: this.pending.dropped,
      ignored: this.ignored,
    };
  }

  /**
   * A reply: the pending question it answers is settled. An off-link question for a routed IP counts all the same: its
   * answer comes from the host that has that IP configured, and a host whose alias is /32 never asks for one (it asks
   * its gateway); the direct path it found is what the seeds' FAQ calls an IP that works but not cleanly.
   */
  private answered(p: Readonly<ArpPacket>, emit: SignalSink): void {
    const pending = this.pending;
    const i = pending.answer(p);
    if (i < 0 || (pending.flagsAt(i) & OFF_LINK_BIT) === 0 || !this.routedTargets.mayHold(p.senderIp) || !this.answeredByItsHost(p)) return;
    const s = pending.slotAt(i);
    if (s < 0) return;
    const request = pending.requestAt(i);
    const bucket = Math.floor(this.now / this.bucketMicros);
    // off_link_target is a routed sender's signal alone: the flag was set for one
    const hits = this.count(s, SignalKind.OFF_LINK_TARGET, bucket, request, true, emit);
    if (this.watch !== null && request.senderIp === this.watch.ip) this.watch.onAnswered(request, this.now, hits, (k) => this.counts(s, k, bucket));
  }

  /** Counts one event; emits a signal when the window count is at or past the threshold. Returns the hit bit. */
  private count(s: number, kind: SignalKind, bucket: number, p: Readonly<ArpPacket>, routed: boolean, emit: SignalSink): number {
    const st = this.senders;
    const n = windowAdd(st.counts, s * st.u16Stride + COUNTS, st.f64, s * st.f64Stride + HEAD, this.buckets, kind, bucket);
    const periods = this.periodsOf(s, kind, routed, false);
    if (n >= this.thresholds[kind] || periods >= this.persistPeriods) this.emit(s, kind, n, p, false, periods, emit);
    return 1 << kind;
  }

  /** Records a persistent signal's evidence in its period (routed senders only); returns its distinct periods, 0 for the others. */
  private periodsOf(s: number, kind: SignalKind, routed: boolean, expired: boolean): number {
    const pk = PERSISTENT_INDEX[kind];
    if (pk < 0 || !routed) return 0;
    let set = this.senders.persist[s];
    if (set < 0) {
      set = this.persist.alloc();
      this.senders.persist[s] = set;
    }
    // times read from fields: a double handed to a call V8 does not inline is boxed
    const at = expired ? this.pending.expiredAt : this.now;
    return this.persist.add(set, pk, Math.floor(at / this.periodMicros));
  }

  /**
   * A held question went unanswered (a request expired unanswered: the one place its consequences are counted):
   * each signal it was flagged for (at `add`) counts one event, for the sender's slot PendingRequests carried along.
   */
  private unresolved(flags: number, emit: SignalSink): void {
    const s = this.pending.expiredSlot;
    if (s < 0) return;
    const at = this.pending.expiredAt;
    const bucket = Math.floor(at / this.bucketMicros);
    const st = this.senders;
    const routed = this.role.load(st.i32[s * st.i32Stride + ROLE], this.inv, st.f64, s * st.f64Stride).routed;
    for (let k = 0; k < SIGNAL_COUNT; k++) {
      if ((flags & (1 << k)) === 0) continue;
      const n = windowAdd(st.counts, s * st.u16Stride + COUNTS, st.f64, s * st.f64Stride + HEAD, this.buckets, k, bucket);
      const periods = this.periodsOf(s, k, routed, true);
      // the request is loaded from the ring only when its signal is emitted (expiredRequest reloads the same packet)
      if (n >= this.thresholds[k] || periods >= this.persistPeriods) this.emit(s, k, n, this.pending.expiredRequest(), true, periods, emit);
    }
    if (this.watch !== null && st.ip(s) === this.watch.ip) this.watch.onUnresolved(this.pending.expiredRequest(), at, flags, (k) => this.counts(s, k, bucket));
  }

  /** `expired`: the signal is an expired request's, at its expiry time; else the frame's, now. */
  private emit(s: number, kind: SignalKind, count: number, p: Readonly<ArpPacket>, expired: boolean, periods: number, emit: SignalSink): void {
    const st = this.senders;
    const sig = this.signal;
    sig.kind = kind;
    sig.ip = st.ip(s);
    // an unanswered question's evidence is the request itself, sent from its own MAC
    sig.mac = TRIGGER[kind] === ON_UNANSWERED ? p.senderMac : st.f64[s * st.f64Stride + MAC];
    sig.previousMac = st.f64[s * st.f64Stride + PREVIOUS_MAC];
    sig.distinctMacs = st.distinctMacs(s);
    sig.vlan = st.i32[s * st.i32Stride + VLAN];
    sig.tsMicros = expired ? this.pending.expiredAt : this.now;
    sig.count = count;
    sig.threshold = this.thresholds[kind];
    sig.periods = periods;
    sig.packet = p;
    emit(sig);
  }
}
