import type { ArpPacket } from '../decode/arp-packet.js';
import { ARP_REQUEST } from '../decode/arp-packet.js';
import { IpMap } from '../common/ip-map.js';

/**
 * Exact request and reply counts of a few chosen sender IPs (those with an open incident), from the moment each is
 * watched: the top-senders sketch may not hold them. Bounded: past `capacity` watched IPs, more are refused (counted).
 */
export class SenderTally {
  private readonly slots: IpMap<number>;
  private readonly ips: Uint32Array;
  readonly requests: Float64Array;
  readonly replies: Float64Array;
  private readonly free: Int32Array;
  /** 1 for a slot in use: forEachWatched walks it */
  private readonly inUse: Uint8Array;
  private freeTop: number;
  /** IPs not watched because `capacity` were */
  refused = 0;

  constructor(readonly capacity: number) {
    this.slots = new IpMap<number>(Math.min(capacity, 1024));
    this.ips = new Uint32Array(capacity);
    this.requests = new Float64Array(capacity);
    this.replies = new Float64Array(capacity);
    // a plain loop: Int32Array.from with a map function took 0.7 ms a replay for the 10,000 slots
    this.free = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.free[i] = capacity - 1 - i;
    this.freeTop = capacity;
    this.inUse = new Uint8Array(capacity);
  }

  get size(): number {
    return this.slots.size;
  }

  watch(ip: number): void {
    if (this.slots.has(ip | 0)) return;
    if (this.freeTop === 0) {
      this.refused++;
      return;
    }
    const slot = this.free[--this.freeTop];
    this.ips[slot] = ip >>> 0;
    this.requests[slot] = 0;
    this.replies[slot] = 0;
    this.slots.set(ip | 0, slot);
    this.inUse[slot] = 1;
  }

  unwatch(ip: number): void {
    const slot = this.slots.get(ip | 0);
    if (slot === undefined) return;
    this.slots.delete(ip | 0);
    this.inUse[slot] = 0;
    this.free[this.freeTop++] = slot;
  }

  /** A well-formed ARP packet: counted if its sender is watched. */
  count(p: Readonly<ArpPacket>): void {
    const slot = this.slots.get(p.senderIp | 0);
    if (slot === undefined) return;
    if (p.op === ARP_REQUEST) this.requests[slot]++;
    else this.replies[slot]++;
  }

  /** The slot of a watched IP, or -1. */
  slotOf(ip: number): number {
    return this.slots.get(ip | 0) ?? -1;
  }

  /** Calls `fn` with every watched IP and its slot, without allocating; `fn` may unwatch that IP. */
  forEachWatched(fn: (ip: number, slot: number) => void): void {
    const inUse = this.inUse;
    for (let slot = 0; slot < inUse.length; slot++) if (inUse[slot] === 1) fn(this.ips[slot], slot);
  }

  /** Every watched IP with its slot (a snapshot: allocates). */
  watched(): { ip: number; slot: number }[] {
    return [...this.slots.entries()].map(([ip, slot]) => ({ ip, slot }));
  }
}
