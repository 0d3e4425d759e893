import { IpMap } from '../common/ip-map.js';
import type { ArpPacket } from '../decode/arp-packet.js';
import { SIGNAL_COUNT } from './signal.js';
import { SlidingCounters } from './sliding-counters.js';

/** Senders whose counters share one typed array. */
const POOL_CHUNK = 4096;

/** What the detector keeps about one sender IP. */
export class SenderState {
  readonly counters: SlidingCounters;
  /** the MAC last seen for this IP, and how many distinct MACs (capped at `maxMacs`) */
  mac = 0;
  previousMac = 0;
  private macs: number[] | null = null;
  vlan = -1;
  lastSeen = 0;
  /** requests of this sender awaiting a reply (the requests themselves are in PendingRequests) */
  pendingCount = 0;

  constructor(readonly ip: number, buckets: number, pool: Uint32Array, base: number, readonly poolSlot: number) {
    this.counters = new SlidingCounters(buckets, pool, base);
  }

  /** Records the MAC of a frame; true when it differs from the last one (a flip). Takes the packet: a MAC argument would be boxed. */
  seeMac(p: Readonly<ArpPacket>, maxMacs: number): boolean {
    const mac = p.senderMac;
    if (this.mac === 0) {
      this.mac = mac;
      return false;
    }
    if (mac === this.mac) return false;
    if (this.macs === null) this.macs = [this.mac];
    if (this.macs.length < maxMacs) {
      // not macs.includes(mac): a builtin call is handed the MAC boxed
      let known = false;
      for (let i = 0; i < this.macs.length; i++) if (this.macs[i] === mac) known = true;
      if (!known) this.macs.push(mac);
    }
    this.previousMac = this.mac;
    this.mac = mac;
    return true;
  }

  get distinctMacs(): number {
    return this.macs === null ? (this.mac === 0 ? 0 : 1) : this.macs.length;
  }

  hasPending(): boolean {
    return this.pendingCount > 0;
  }
}

/**
 * Sender IPs tracked at once, capped: when full, idle senders (nothing seen for
 * `idleMicros`, no request pending) are swept out; if none is idle the new sender
 * is not tracked and counted in `untracked`, so a flood of spoofed senders
 * cannot grow memory past the cap.
 */
export class SenderTable {
  private readonly senders = new IpMap<SenderState>(1024);
  untracked = 0;
  evicted = 0;
  private lastSweep = 0;
  /** counter storage in chunks of POOL_CHUNK senders; freed slots are reused */
  private readonly pools: Uint32Array[] = [];
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;

  constructor(private readonly maxSenders: number, private readonly buckets: number, private readonly idleMicros: number) {}

  private newSender(ip: number): SenderState {
    let slot = this.freeSlots.pop();
    if (slot === undefined) slot = this.nextSlot++;
    const chunk = Math.floor(slot / POOL_CHUNK);
    if (chunk === this.pools.length) this.pools.push(new Uint32Array(POOL_CHUNK * SIGNAL_COUNT * this.buckets));
    return new SenderState(ip, this.buckets, this.pools[chunk], (slot % POOL_CHUNK) * SIGNAL_COUNT * this.buckets, slot);
  }

  get size(): number {
    return this.senders.size;
  }

  get(ip: number): SenderState | undefined {
    // as int32 (see IpMap): this small function is inlined, IpMap.get may not be, and would be handed a boxed IP
    return this.senders.get(ip | 0);
  }

  /** Packet time as the detector last moved it (read here, not passed: a call not inlined boxes a double argument). */
  now = 0;

  /** The state of the frame's sender, created if there is room; undefined when the table is full of active senders. */
  getOrCreate(p: Readonly<ArpPacket>): SenderState | undefined {
    const ip = p.senderIp;
    const now = this.now;
    let s = this.senders.get(ip | 0); // an int32: see IpMap
    if (s !== undefined) return s;
    if (this.senders.size >= this.maxSenders) {
      // sweep at most once per idle period's tenth, so a flood does not sweep on every frame
      if (now - this.lastSweep >= this.idleMicros / 10) this.sweep(now);
      if (this.senders.size >= this.maxSenders) {
        this.untracked++;
        return undefined;
      }
    }
    s = this.newSender(ip);
    this.senders.set(ip, s);
    return s;
  }

  /** Forgets the senders idle since `now − idle`. */
  sweep(now: number): void {
    this.lastSweep = now;
    const idle: SenderState[] = [];
    for (const [, s] of this.senders.entries()) if (now - s.lastSeen >= this.idleMicros && !s.hasPending()) idle.push(s);
    for (const s of idle) {
      this.senders.delete(s.ip);
      this.freeSlots.push(s.poolSlot);
    }
    this.evicted += idle.length;
  }
}

