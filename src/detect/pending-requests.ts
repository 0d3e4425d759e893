import { PairTable } from '../common/pair-table.js';
import { ArpPacket } from '../decode/arp-packet.js';
import type { SenderTable } from './sender-table.js';

/**
 * Requests awaiting a reply, in arrival (packet time) order, in a ring of
 * typed arrays: nothing is allocated per request. A reply from T to S clears
 * (S, T); a request still uncleared when the reply timeout has passed is
 * unresolved. Full ring: the oldest request is dropped and counted.
 */
export class PendingRequests {
  private readonly ts: Float64Array;
  private readonly sender: Uint32Array;
  private readonly target: Uint32Array;
  /** enough of the frame to print it as evidence: MACs, tags, length */
  private readonly ethSrc: Float64Array;
  private readonly ethDst: Float64Array;
  private readonly senderMac: Float64Array;
  private readonly outer: Uint32Array;
  private readonly inner: Uint32Array;
  private readonly meta: Uint32Array;
  /** what the detector asked to be told on expiry (e.g. an off-link question) */
  private readonly flags: Uint8Array;
  /** (sender, target) → time of the newest request still awaiting a reply */
  private readonly open: PairTable;
  private head = 0;
  private length = 0;
  dropped = 0;
  /** the request being reported as unresolved, rebuilt from the ring */
  private readonly request = new ArpPacket();

  constructor(readonly capacity: number, private readonly senders: SenderTable) {
    this.ts = new Float64Array(capacity);
    this.sender = new Uint32Array(capacity);
    this.target = new Uint32Array(capacity);
    this.ethSrc = new Float64Array(capacity);
    this.ethDst = new Float64Array(capacity);
    this.senderMac = new Float64Array(capacity);
    this.outer = new Uint32Array(capacity);
    this.inner = new Uint32Array(capacity);
    this.meta = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.open = new PairTable(capacity);
  }

  get size(): number {
    return this.length;
  }

  add(p: Readonly<ArpPacket>, now: number, flags = 0): void {
    const s = this.senders.get(p.senderIp);
    if (s === undefined) return;
    if (this.length === this.capacity) this.dropOldest();
    if (this.open.get(p.senderIp, p.targetIp) < 0) s.pendingCount++;
    this.open.set(p.senderIp, p.targetIp, now);
    const i = (this.head + this.length) % this.capacity;
    this.ts[i] = now;
    this.sender[i] = p.senderIp;
    this.target[i] = p.targetIp;
    this.ethSrc[i] = p.ethSrc;
    this.ethDst[i] = p.ethDst;
    this.senderMac[i] = p.senderMac;
    this.outer[i] = ((p.outerTpid << 16) | p.outerTci) >>> 0;
    this.inner[i] = ((p.innerTpid << 16) | p.innerTci) >>> 0;
    this.meta[i] = ((p.wireLen & 0xffff) | (p.vlanDepth << 16) | ((p.linkType & 0x1ff) << 20)) >>> 0;
    this.flags[i] = flags;
    this.length++;
  }

  /** A reply from `replier` to `requester`: the requests between them are answered. */
  answer(requester: number, replier: number): void {
    if (this.open.delete(requester, replier)) this.settled(requester);
  }

  /**
   * Reports every request older than `now − timeout` that got no reply,
   * oldest first, as the request frame itself, with the flags it was added with.
   */
  expire(now: number, timeoutMicros: number, onUnresolved: (request: Readonly<ArpPacket>, expiredAt: number, flags: number) => void): void {
    while (this.length > 0 && this.ts[this.head] + timeoutMicros <= now) {
      const i = this.head;
      this.head = (this.head + 1) % this.capacity;
      this.length--;
      const newest = this.open.get(this.sender[i], this.target[i]);
      if (newest < 0) continue; // answered
      if (newest === this.ts[i]) {
        this.open.delete(this.sender[i], this.target[i]);
        this.settled(this.sender[i]);
      }
      onUnresolved(this.rebuild(i), this.ts[i] + timeoutMicros, this.flags[i]);
    }
  }

  private dropOldest(): void {
    const i = this.head;
    if (this.open.get(this.sender[i], this.target[i]) === this.ts[i]) {
      this.open.delete(this.sender[i], this.target[i]);
      this.settled(this.sender[i]);
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

  private rebuild(i: number): ArpPacket {
    const r = this.request;
    r.tsMicros = this.ts[i];
    r.ethSrc = this.ethSrc[i];
    r.ethDst = this.ethDst[i];
    r.senderMac = this.senderMac[i];
    r.senderIp = this.sender[i];
    r.targetIp = this.target[i];
    r.targetMac = 0;
    r.op = 1;
    r.outerTpid = this.outer[i] >>> 16; r.outerTci = this.outer[i] & 0xffff;
    r.innerTpid = this.inner[i] >>> 16; r.innerTci = this.inner[i] & 0xffff;
    r.wireLen = this.meta[i] & 0xffff;
    r.vlanDepth = (this.meta[i] >>> 16) & 0xf;
    r.linkType = this.meta[i] >>> 20;
    r.gratuitous = false;
    r.probe = false;
    return r;
  }
}
