import { SlidingCounters } from './sliding-counters.js';

/** What the detector keeps about one sender IP. */
export class SenderState {
  readonly counters: SlidingCounters;
  /** the MAC last seen for this IP, and how many distinct MACs (capped at `maxMacs`) */
  mac = 0;
  previousMac = 0;
  private macs: number[] | null = null;
  vlan = -1;
  lastSeen = 0;
  /** target IP → time of the newest request still awaiting a reply; created on the first request */
  pending: Map<number, number> | null = null;

  constructor(readonly ip: number, buckets: number) {
    this.counters = new SlidingCounters(buckets);
  }

  /** Records the MAC of a frame; true when it differs from the last one (a flip). */
  seeMac(mac: number, maxMacs: number): boolean {
    if (this.mac === 0) {
      this.mac = mac;
      return false;
    }
    if (mac === this.mac) return false;
    if (this.macs === null) this.macs = [this.mac];
    if (this.macs.length < maxMacs && !this.macs.includes(mac)) this.macs.push(mac);
    this.previousMac = this.mac;
    this.mac = mac;
    return true;
  }

  get distinctMacs(): number {
    return this.macs === null ? (this.mac === 0 ? 0 : 1) : this.macs.length;
  }

  hasPending(): boolean {
    return this.pending !== null && this.pending.size > 0;
  }
}

/**
 * Sender IPs tracked at once, capped: when full, idle senders (nothing seen for
 * `idleMicros`, no request pending) are swept out; if none is idle the new sender
 * is not tracked and counted in `untracked`, so a flood of spoofed senders
 * cannot grow memory past the cap.
 */
export class SenderTable {
  private readonly senders = new Map<number, SenderState>();
  untracked = 0;
  evicted = 0;
  private lastSweep = 0;

  constructor(private readonly maxSenders: number, private readonly buckets: number, private readonly idleMicros: number) {}

  get size(): number {
    return this.senders.size;
  }

  get(ip: number): SenderState | undefined {
    return this.senders.get(ip);
  }

  /** The sender's state, created if there is room; undefined when the table is full of active senders. */
  getOrCreate(ip: number, now: number): SenderState | undefined {
    let s = this.senders.get(ip);
    if (s !== undefined) return s;
    if (this.senders.size >= this.maxSenders) {
      // sweep at most once per idle period's tenth, so a flood does not sweep on every frame
      if (now - this.lastSweep >= this.idleMicros / 10) this.sweep(now);
      if (this.senders.size >= this.maxSenders) {
        this.untracked++;
        return undefined;
      }
    }
    s = new SenderState(ip, this.buckets);
    this.senders.set(ip, s);
    return s;
  }

  /** Forgets the senders idle since `now − idle`. */
  sweep(now: number): void {
    this.lastSweep = now;
    for (const [ip, s] of this.senders) {
      if (now - s.lastSeen >= this.idleMicros && !s.hasPending()) {
        this.senders.delete(ip);
        this.evicted++;
      }
    }
  }
}
