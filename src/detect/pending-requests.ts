import { PairTable } from '../common/pair-table.js';
import { ArpPacket } from '../decode/arp-packet.js';
import { ArpPacketStore } from '../decode/arp-packet-store.js';
import { IP, PENDING, type SenderTable } from './sender-table.js';

/** A request's numbers in `entry`, ENTRY a request: sender slot, flags, sender IP, target IP (int32). */
const ENTRY = 4;
const E_SLOT = 0;
const E_FLAGS = 1;
const E_SENDER = 2;
const E_TARGET = 3;

/** Requests a ring starts with room for (it doubles as they come, up to the cap). */
const FIRST_RING = 1024;

/**
 * Requests awaiting a reply, in arrival (packet time) order, in a ring of
 * typed arrays: nothing is allocated per request. Each request frame is kept
 * whole (ArpPacketStore), so an unresolved one prints as it was captured. A reply from T to S clears
 * (S, T); a request still uncleared when the reply timeout has passed is
 * unresolved. Full ring: the oldest request is dropped and counted.
 */
export class PendingRequests {
  /** when the request counted as seen (packet time, never earlier than an earlier request's) */
  private ts: Float64Array;
  /**
   * when its pair's run began: the first request of (sender, target) since the pair's last reply. An older request of
   * the pair that expires while a newer one waits was answered if it is older than the newer one's run.
   */
  private runTs: Float64Array;
  /** the request frames; sender and target IPs key `open` */
  private frames: ArpPacketStore;
  /**
   * ENTRY numbers a request: the sender's slot in the sender table when it came (carried along: no second lookup on
   * answer or expiry), what the detector asked to be told on expiry (e.g. an off-link question), its sender and target
   * IP as int32: expiry reads these 16 bytes, not the frame's row (112 bytes), unless the request is reported.
   */
  private entry: Int32Array;
  /**
   * The ring's size now: it doubles when full, up to `capacity`. The requests of one reply timeout (a few thousand)
   * then cycle through a ring that stays in cache, not through `capacity` rows (25 MB at 200,000), a new line each.
   */
  private ringSize: number;
  /**
   * (sender, target) → ring index of the newest request still awaiting a reply (its slot stays in the ring
   * while the pair is here). IPs go in as `ip | 0`: an int32 argument is never boxed, a uint32 above 2^31 is.
   */
  private readonly open: PairTable;
  private head = 0;
  private length = 0;
  dropped = 0;
  /** the request being reported as unresolved, loaded from the ring */
  private readonly request = new ArpPacket();

  constructor(readonly capacity: number, private readonly senders: SenderTable) {
    this.ringSize = Math.min(capacity, FIRST_RING);
    this.ts = new Float64Array(this.ringSize);
    this.runTs = new Float64Array(this.ringSize);
    this.frames = new ArpPacketStore(this.ringSize);
    this.entry = new Int32Array(this.ringSize * ENTRY);
    this.open = new PairTable(capacity);
  }

  /** Twice the ring (at most `capacity`), the requests copied in order from index 0, the pairs' ring indices moved with them. */
  private grow(): void {
    const size = this.ringSize;
    const head = this.head;
    const next = Math.min(this.capacity, size * 2);
    const first = size - head; // from head to the end, then from 0
    const ts = new Float64Array(next);
    ts.set(this.ts.subarray(head));
    ts.set(this.ts.subarray(0, head), first);
    const runTs = new Float64Array(next);
    runTs.set(this.runTs.subarray(head));
    runTs.set(this.runTs.subarray(0, head), first);
    const frames = new ArpPacketStore(next);
    frames.copyRows(this.frames, head, first, 0);
    frames.copyRows(this.frames, 0, head, first);
    const entry = new Int32Array(next * ENTRY);
    entry.set(this.entry.subarray(head * ENTRY));
    entry.set(this.entry.subarray(0, head * ENTRY), first * ENTRY);
    this.open.mapValues((i) => (i >= head ? i - head : i + first));
    this.ts = ts;
    this.runTs = runTs;
    this.frames = frames;
    this.entry = entry;
    this.ringSize = next;
    this.head = 0;
  }

  get size(): number {
    return this.length;
  }

  /** Bytes its typed arrays hold now: the ring (times, frames, entries; it grows with the requests held, up to `capacity`) and the pairs. */
  get byteSize(): number {
    return this.ts.byteLength + this.runTs.byteLength + this.frames.byteSize + this.entry.byteLength + this.open.byteSize;
  }

  /**
   * Packet time as the detector last moved it (expire() moves it too): add() reads it here
   * rather than as an argument, which a call that is not inlined would box.
   */
  now = 0;

  /** When the request being reported by expire() expired (its time + the timeout). */
  expiredAt = 0;

  /** The slot of the sender of the request being reported by expire(), -1 when it is no longer tracked. */
  expiredSlot = -1;

  /** Its index in the ring. */
  private expiredIndex = 0;

  /** A request seen at `now` from the sender at `slot` (default: looked up); `flags` come back with it if it expires unanswered. */
  add(p: Readonly<ArpPacket>, flags = 0, slot = this.senders.slotOf(p.senderIp | 0)): void {
    if (slot < 0) return;
    if (this.length === this.ringSize) {
      if (this.ringSize < this.capacity) this.grow();
      else this.dropOldest();
    }
    const i = (this.head + this.length) % this.ringSize;
    // one probe: the pair's newest request is this one now; a pair new to the table is one more question of the sender
    const before = this.open.upsert(p.senderIp | 0, p.targetIp | 0, i);
    if (before < 0) {
      this.senders.i32[slot * this.senders.i32Stride + PENDING]++;
      this.runTs[i] = this.now;
    } else this.runTs[i] = this.runTs[before];
    this.ts[i] = this.now;
    this.frames.save(i, p);
    const e = this.entry;
    e[i * ENTRY + E_SLOT] = slot;
    e[i * ENTRY + E_FLAGS] = flags;
    e[i * ENTRY + E_SENDER] = p.senderIp | 0;
    e[i * ENTRY + E_TARGET] = p.targetIp | 0;
    this.length++;
  }

  /**
   * A reply: the requests of its target to its sender are answered; returns the ring index of the newest (flagsAt,
   * slotAt, requestAt read it), or -1 when none was waiting. Takes the
   * packet, not two IPs: an IP above 2^30 passed to a call that is not inlined is boxed (an allocation per frame).
   */
  answer(reply: Readonly<ArpPacket>): number {
    const newest = this.open.take(reply.targetIp | 0, reply.senderIp | 0);
    if (newest >= 0) this.settled(this.entry[newest * ENTRY + E_SLOT]);
    return newest;
  }

  /** The flags a request was added with, by the ring index answer() returned (read before the next add: the row is reused). */
  flagsAt(i: number): number {
    return this.entry[i * ENTRY + E_FLAGS];
  }

  /** The slot of the sender of the request at ring index `i`, -1 when it is no longer tracked. */
  slotAt(i: number): number {
    // the slot carried along is the sender's unless it was forgotten (nothing pending) and its slot reused since
    const slot = this.entry[i * ENTRY + E_SLOT];
    const sender = this.entry[i * ENTRY + E_SENDER];
    return this.senders.isLive(slot) && this.senders.i32[slot * this.senders.i32Stride + IP] === sender ? slot : this.senders.slotOf(sender);
  }

  /** The request at ring index `i` as it was captured (one packet, reloaded at each call, shared with expiredRequest()). */
  requestAt(i: number): Readonly<ArpPacket> {
    return this.frames.load(i, this.request);
  }

  /**
   * Reports every request older than `now − timeout` that got no reply,
   * oldest first, as the request frame itself, with the flags it was added with;
   * `expiredAt` holds the time it expired at during the call.
   */
  expire(now: number, timeoutMicros: number, onUnresolved: (request: Readonly<ArpPacket>, flags: number) => void): void {
    if (now > this.now) this.now = now;
    this.expireDue(timeoutMicros, (flags) => onUnresolved(this.expiredRequest(), flags));
  }

  /**
   * expire() at `this.now`: the per-frame path passes no double to a call (one not inlined boxes it). The request
   * is not loaded: `expiredVlan` and `expiredRequest()` read it during the call (most expire below any threshold).
   */
  expireDue(timeoutMicros: number, onUnresolved: (flags: number) => void): void {
    const now = this.now;
    while (this.length > 0 && this.ts[this.head] + timeoutMicros <= now) {
      const i = this.head;
      this.head = (this.head + 1) % this.ringSize;
      this.length--;
      const sender = this.entry[i * ENTRY + E_SENDER];
      const at = this.open.indexOf(sender, this.entry[i * ENTRY + E_TARGET]);
      if (at < 0) continue; // answered
      const newest = this.open.valueAt(at);
      // asked before the pair's last reply, asked again since: answered
      if (this.ts[i] < this.runTs[newest]) continue;
      // the newest request of the pair, or one of the same time (as its time was the pair's value before)
      if (this.ts[newest] === this.ts[i]) {
        this.open.deleteAt(at);
        this.settled(this.entry[newest * ENTRY + E_SLOT]);
      }
      this.expiredAt = this.ts[i] + timeoutMicros;
      this.expiredSlot = this.slotAt(i);
      this.expiredIndex = i;
      onUnresolved(this.entry[i * ENTRY + E_FLAGS]);
    }
  }

  /** The VLAN of the request being reported by expireDue(). */
  get expiredVlan(): number {
    return this.frames.vlan(this.expiredIndex);
  }

  /** The request being reported by expireDue(), as it was captured (one packet, reloaded at each call). */
  expiredRequest(): Readonly<ArpPacket> {
    return this.requestAt(this.expiredIndex);
  }

  private dropOldest(): void {
    const i = this.head;
    const at = this.open.indexOf(this.entry[i * ENTRY + E_SENDER], this.entry[i * ENTRY + E_TARGET]);
    if (at >= 0) {
      const newest = this.open.valueAt(at);
      if (this.ts[newest] === this.ts[i]) {
        this.open.deleteAt(at);
        this.settled(this.entry[newest * ENTRY + E_SLOT]);
      }
    }
    this.head = (this.head + 1) % this.ringSize;
    this.length--;
    this.dropped++;
  }

  /** One of the sender's questions is settled (answered, expired or dropped). */
  private settled(slot: number): void {
    const i = slot * this.senders.i32Stride + PENDING;
    if (this.senders.i32[i] > 0) this.senders.i32[i]--;
  }
}
