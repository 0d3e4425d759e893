import type { ArpPacket } from '../decode/arp-packet.js';
import type { PeriodSets } from './persistence.js';
import { SIGNAL_COUNT } from './signal.js';

/**
 * A sender's slot is one record of the table's buffer (what a frame reads is adjacent: one or two cache lines),
 * seen through three views; the field indices below are in units of each view's element.
 * Float64: its last seen time, MAC, previous MAC, its counters' newest bucket (-1: none yet); for a failover IP,
 * the inventory's hot fields of its role (virtual MAC or -1, server's MAC, gateway), copied by the detector when
 * it looks the role up: the rules read them here, not in the inventory's table (another cache miss a frame).
 */
export const LAST_SEEN = 0;
export const MAC = 1;
export const PREVIOUS_MAC = 2;
export const HEAD = 3;
export const ROLE_VMAC = 4;
export const ROLE_SERVER_MAC = 5;
export const ROLE_GATEWAY = 6;
/** Float64 fields a record begins with */
export const F64_FIELDS = 7;
/** Int32 (bytes 56 to 71): its IP; its requests awaiting a reply (in PendingRequests; -1 marks a free slot); its role code (InventoryIndex.roleCode, kept by the detector); its VLAN. */
export const IP = 14;
export const PENDING = 15;
export const ROLE = 16;
export const VLAN = 17;
/** Uint16 from byte 72: its window counters, SIGNAL_COUNT × buckets */
export const COUNTS = 36;
/** bytes before the counters */
const HEADER_BYTES = 72;

const FIRST_CAPACITY = 1024;

/**
 * The sender IPs tracked at once, each one slot of typed arrays (no object per sender): its
 * numbers, its window counters (SIGNAL_COUNT × buckets entries of `counts`), its persistence set;
 * found by one probe of an open-addressing table whose entries hold the IP and the slot side by side.
 * Capped: when full, idle senders (nothing seen for `idleMicros`, no request pending) are swept out;
 * if none is idle the new sender is not tracked and counted in `untracked`, so a flood of spoofed
 * senders cannot grow memory past the cap. The arrays double as senders come, up to the cap.
 */
export class SenderTable {
  /** the records, through their three views (replaced when the table grows: read them from here, not kept) */
  f64 = new Float64Array(0);
  i32 = new Int32Array(0);
  counts = new Uint16Array(0);
  /** a record's length in each view's elements */
  readonly f64Stride: number;
  readonly i32Stride: number;
  readonly u16Stride: number;
  /** each sender's persistence set (PeriodSets), -1 until its first persistent evidence */
  persist = new Int32Array(0);
  /** the distinct MACs of senders seen from more than one (rare: a Map of the few, not a field of all) */
  private readonly macs = new Map<number, number[]>();
  /** [ip, slot + 1] pairs; 0 as slot + 1 is an empty entry */
  private table = new Int32Array(0);
  private mask = 0;
  private shift = 0;
  private freeSlots = new Int32Array(0);
  private freeCount = 0;
  /** slots below this have been used */
  private highWater = 0;
  private capacity = 0;
  size = 0;
  untracked = 0;
  evicted = 0;
  /** getOrCreate's sender was new (the detector looks its role up then) */
  created = false;
  private lastSweep = 0;
  /** Packet time as the detector last moved it (read here, not passed: a call not inlined boxes a double argument). */
  now = 0;

  constructor(private readonly maxSenders: number, readonly buckets: number, private readonly idleMicros: number, private readonly periods: PeriodSets | null = null) {
    const bytes = SenderTable.recordBytes(buckets);
    this.f64Stride = bytes / 8;
    this.i32Stride = bytes / 4;
    this.u16Stride = bytes / 2;
    this.resize(Math.min(FIRST_CAPACITY, maxSenders));
  }

  /** The slot of a tracked IP (as int32, `ip | 0`), or -1. */
  slotOf(ip: number): number {
    const k = ip | 0;
    const t = this.table;
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const s1 = t[2 * i + 1];
      if (s1 === 0) return -1;
      if (t[2 * i] === k) return s1 - 1;
      i = (i + 1) & this.mask;
    }
  }

  /** The slot of the frame's sender, created if there is room (then `created`); -1 when the table is full of active senders. */
  getOrCreate(p: Readonly<ArpPacket>): number {
    const k = p.senderIp | 0;
    const t = this.table;
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const s1 = t[2 * i + 1];
      if (s1 === 0) break;
      if (t[2 * i] === k) {
        this.created = false;
        return s1 - 1;
      }
      i = (i + 1) & this.mask;
    }
    if (this.size >= this.maxSenders) {
      // sweep at most once per idle period's tenth, so a flood does not sweep on every frame
      if (this.now - this.lastSweep >= this.idleMicros / 10) this.sweep(this.now);
      if (this.size >= this.maxSenders) {
        this.untracked++;
        return -1;
      }
    }
    return this.insert(k);
  }

  private insert(k: number): number {
    let slot: number;
    if (this.freeCount > 0) slot = this.freeSlots[--this.freeCount];
    else {
      if (this.highWater === this.capacity) this.resize(Math.min(this.capacity * 2, this.maxSenders));
      slot = this.highWater++;
    }
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    while (this.table[2 * i + 1] !== 0) i = (i + 1) & this.mask;
    this.table[2 * i] = k;
    this.table[2 * i + 1] = slot + 1;
    this.size++;
    const f = slot * this.f64Stride;
    this.f64[f + LAST_SEEN] = 0;
    this.f64[f + MAC] = 0;
    this.f64[f + PREVIOUS_MAC] = 0;
    this.f64[f + HEAD] = -1;
    this.f64[f + ROLE_VMAC] = -1;
    this.f64[f + ROLE_SERVER_MAC] = 0;
    this.f64[f + ROLE_GATEWAY] = 0;
    const n = slot * this.i32Stride;
    this.i32[n + IP] = k;
    this.i32[n + PENDING] = 0;
    this.i32[n + ROLE] = 0;
    this.i32[n + VLAN] = -1;
    this.persist[slot] = -1;
    const c = slot * this.u16Stride + COUNTS;
    this.counts.fill(0, c, c + SIGNAL_COUNT * this.buckets);
    this.created = true;
    return slot;
  }

  /** The sender's IP as uint32. */
  ip(slot: number): number {
    return this.i32[slot * this.i32Stride + IP] >>> 0;
  }

  /** Slots in use are below this (some of them free: isLive). */
  get slots(): number {
    return this.highWater;
  }

  isLive(slot: number): boolean {
    return this.i32[slot * this.i32Stride + PENDING] >= 0;
  }

  /**
   * The tracked senders in [first, last] (uint32), ascending. For an incident's change, never a frame: it allocates.
   * A lookup per address when the range holds fewer addresses than the table senders, else one pass over the slots.
   */
  ipsWithin(first: number, last: number): number[] {
    const out: number[] = [];
    if (last - first + 1 <= this.size) {
      for (let ip = first; ip <= last; ip++) if (this.slotOf(ip) >= 0) out.push(ip);
      return out;
    }
    for (let s = 0; s < this.highWater; s++) {
      if (!this.isLive(s)) continue;
      const ip = this.ip(s);
      if (ip >= first && ip <= last) out.push(ip);
    }
    return out.sort((a, b) => a - b);
  }

  /** Records the MAC of a frame; true when it differs from the last one (a flip). Takes the packet: a MAC argument would be boxed. */
  seeMac(slot: number, p: Readonly<ArpPacket>, maxMacs: number): boolean {
    const mac = p.senderMac;
    const f = slot * this.f64Stride;
    const last = this.f64[f + MAC];
    if (last === 0) {
      this.f64[f + MAC] = mac;
      return false;
    }
    if (mac === last) return false;
    let macs = this.macs.get(slot);
    if (macs === undefined) {
      macs = [last];
      this.macs.set(slot, macs);
    }
    if (macs.length < maxMacs) {
      // not macs.includes(mac): a builtin call is handed the MAC boxed
      let known = false;
      for (let i = 0; i < macs.length; i++) if (macs[i] === mac) known = true;
      if (!known) macs.push(mac);
    }
    this.f64[f + PREVIOUS_MAC] = last;
    this.f64[f + MAC] = mac;
    return true;
  }

  /** Distinct MACs seen for the sender while tracked (capped at the detector's spoof_macs). */
  distinctMacs(slot: number): number {
    const macs = this.macs.get(slot);
    return macs === undefined ? (this.f64[slot * this.f64Stride + MAC] === 0 ? 0 : 1) : macs.length;
  }

  /** Forgets the senders idle since `now − idle` with no request pending. */
  sweep(now: number): void {
    this.lastSweep = now;
    let evicted = 0;
    for (let s = 0; s < this.highWater; s++) {
      if (this.i32[s * this.i32Stride + PENDING] !== 0) continue; // pending, or a free slot (-1)
      if (now - this.f64[s * this.f64Stride + LAST_SEEN] < this.idleMicros) continue;
      this.remove(s);
      evicted++;
    }
    this.evicted += evicted;
  }

  private remove(slot: number): void {
    const k = this.i32[slot * this.i32Stride + IP];
    const t = this.table;
    let i = Math.imul(k, 0x9e3779b1) >>> this.shift;
    while (t[2 * i] !== k || t[2 * i + 1] === 0) i = (i + 1) & this.mask;
    // backward shift: move later entries of the probe run into the hole, so lookups need no tombstones
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (t[2 * j + 1] === 0) break;
      const home = Math.imul(t[2 * j], 0x9e3779b1) >>> this.shift;
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!between) {
        t[2 * i] = t[2 * j];
        t[2 * i + 1] = t[2 * j + 1];
        i = j;
      }
    }
    t[2 * i] = 0;
    t[2 * i + 1] = 0;
    this.size--;
    this.i32[slot * this.i32Stride + PENDING] = -1;
    this.macs.delete(slot);
    const set = this.persist[slot];
    if (set >= 0 && this.periods !== null) this.periods.release(set);
    this.persist[slot] = -1;
    this.freeSlots[this.freeCount++] = slot;
  }

  /** Room for `capacity` senders: the columns copied, the table rebuilt at twice that (at most half full). */
  private resize(capacity: number): void {
    const copy = <A extends Int32Array | Uint8Array>(from: A, to: A): A => { to.set(from); return to; };
    const records = copy(new Uint8Array(this.f64.buffer), new Uint8Array(capacity * this.f64Stride * 8));
    this.f64 = new Float64Array(records.buffer);
    this.i32 = new Int32Array(records.buffer);
    this.counts = new Uint16Array(records.buffer);
    this.persist = copy(this.persist, new Int32Array(capacity));
    this.freeSlots = copy(this.freeSlots, new Int32Array(capacity));
    this.capacity = capacity;
    let bits = 4;
    while (1 << bits < capacity * 2) bits++;
    const old = this.table;
    this.table = new Int32Array(2 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    for (let e = 0; e < old.length; e += 2) {
      if (old[e + 1] === 0) continue;
      let i = Math.imul(old[e], 0x9e3779b1) >>> this.shift;
      while (this.table[2 * i + 1] !== 0) i = (i + 1) & this.mask;
      this.table[2 * i] = old[e];
      this.table[2 * i + 1] = old[e + 1];
    }
  }

  /** A sender's record: 56 bytes of Float64, 16 of Int32, the counters (16 bits each) to a multiple of 16 bytes. */
  static recordBytes(buckets: number): number {
    return HEADER_BYTES + Math.ceil((SIGNAL_COUNT * buckets * 2) / 16) * 16;
  }

  /** Bytes its typed arrays hold now: the records, the persistence indexes, the free list, the hash table (the few senders' MAC lists apart). */
  get byteSize(): number {
    return this.f64.byteLength + this.persist.byteLength + this.freeSlots.byteLength + this.table.byteLength;
  }

  /** Bytes the table holds per sender at full capacity: the record, its persistence set's index, its free-list entry, its share of the hash table. */
  static bytesPerSender(maxSenders: number, buckets: number): number {
    let bits = 4;
    while (1 << bits < maxSenders * 2) bits++;
    return SenderTable.recordBytes(buckets) + 4 + 4 + ((2 << bits) * 4) / maxSenders;
  }
}
