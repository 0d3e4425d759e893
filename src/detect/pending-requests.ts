import { PairTable } from '../common/pair-table.js';
import { ArpPacket } from '../decode/arp-packet.js';
import { ArpPacketStore } from '../decode/arp-packet-store.js';
import type { SenderTable } from './sender-table.js';

/**
 * Requests awaiting a reply, in arrival (packet time) order, in a ring of
 * typed arrays: nothing is allocated per request. Each request frame is kept
 * whole (ArpPacketStore), so an unresolved one prints as it was captured. A reply from T to S clears
 * (S, T); a request still uncleared when the reply timeout has passed is
 * unresolved. Full ring: the oldest request is dropped and counted.
 */
export class PendingRequests {
  /** when the request counted as seen (packet time, never earlier than an earlier request's) */
  private readonly ts: Float64Array;
  /** the request frames; sender and target IPs key `open` */
  private readonly frames: ArpPacketStore;
  /** what the detector asked to be told on expiry (e.g. an off-link question) */
  private readonly flags: Uint8Array;
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
    this.ts = new Float64Array(capacity);
    this.frames = new ArpPacketStore(capacity);
    this.flags = new Uint8Array(capacity);
    this.open = new PairTable(capacity);
  }

  get size(): number {
    return this.length;
  }

  /**
   * Packet time as the detector last moved it (expire() moves it too): add() reads it here
   * rather than as an argument, which a call that is not inlined would box.
   */
  now = 0;

  /** When the request being reported by expire() expired (its time + the timeout). */
  expiredAt = 0;

  /** A request seen at `now`; `flags` come back with it if it expires unanswered. */
  add(p: Readonly<ArpPacket>, flags = 0): void {
    const now = this.now;
    const sender = p.senderIp | 0;
    const target = p.targetIp | 0;
    const s = this.senders.get(sender);
    if (s === undefined) return;
    if (this.length === this.capacity) this.dropOldest();
    const i = (this.head + this.length) % this.capacity;
    if (this.open.get(sender, target) < 0) s.pendingCount++;
    this.open.set(sender, target, i);
    this.ts[i] = now;
    this.frames.save(i, p);
    this.flags[i] = flags;
    this.length++;
  }

  /**
   * A reply: the requests of its target to its sender are answered. Takes the
   * packet, not two IPs: an IP above 2^30 passed to a call that is not inlined is boxed (an allocation per frame).
   */
  answer(reply: Readonly<ArpPacket>): void {
    const requester = reply.targetIp | 0;
    if (this.open.delete(requester, reply.senderIp | 0)) this.settled(requester);
  }

  /**
   * Reports every request older than `now − timeout` that got no reply,
   * oldest first, as the request frame itself, with the flags it was added with;
   * `expiredAt` holds the time it expired at during the call.
   */
  expire(now: number, timeoutMicros: number, onUnresolved: (request: Readonly<ArpPacket>, flags: number) => void): void {
    if (now > this.now) this.now = now;
    this.expireDue(timeoutMicros, onUnresolved);
  }

  /** expire() at `this.now`: the per-frame path passes no double to a call (one not inlined boxes it). */
  expireDue(timeoutMicros: number, onUnresolved: (request: Readonly<ArpPacket>, flags: number) => void): void {
    const now = this.now;
    while (this.length > 0 && this.ts[this.head] + timeoutMicros <= now) {
      const i = this.head;
      this.head = (this.head + 1) % this.capacity;
      this.length--;
      const sender = this.frames.senderIp32(i);
      const target = this.frames.targetIp32(i);
      const newest = this.open.get(sender, target);
      if (newest < 0) continue; // answered
      // the newest request of the pair, or one of the same time (as its time was the pair's value before)
      if (this.ts[newest] === this.ts[i]) {
        this.open.delete(sender, target);
        this.settled(sender);
      }
      this.expiredAt = this.ts[i] + timeoutMicros;
      onUnresolved(this.frames.load(i, this.request), this.flags[i]);
    }
  }

  private dropOldest(): void {
    const i = this.head;
    const sender = this.frames.senderIp32(i);
    const target = this.frames.targetIp32(i);
    const newest = this.open.get(sender, target);
    if (newest >= 0 && this.ts[newest] === this.ts[i]) {
      this.open.delete(sender, target);
      this.settled(sender);
    }
    this.head = (this.head + 1) % this.capacity;
    this.length--;
    this.dropped++;
  }

  /** One of the sender's questions is settled (answered, expired or dropped). */
  private settled(sender: number): void {
    const s = this.senders.get(sender);
    if (s !== undefined && s.pendingCount > 0) s.pendingCount--;
  }
}
