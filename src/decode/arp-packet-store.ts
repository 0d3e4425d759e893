import { type ArpPacket, MAX_VLAN_TAGS } from './arp-packet.js';
import { vlanKey } from './vlan-key.js';

const GRATUITOUS = 1;
const PROBE = 2;

/** A saved packet is one row of 112 bytes: five doubles (time, MACs), then 32-bit words from word W (of the Uint32 view). */
const F_TS = 0;
const F_ETH_SRC = 1;
const F_ETH_DST = 2;
const F_SENDER_MAC = 3;
const F_TARGET_MAC = 4;
const W = 10;
const W_WIRE_LEN = W;
const W_CAP_LEN = W + 1;
const W_LINK_TYPE = W + 2;
/** -1 on Ethernet, else 16 bits (read through the Int32 view) */
const W_SLL_TYPE = W + 3;
const W_SLL_IFINDEX = W + 4;
/** op << 16 | vlanDepth << 8 | GRATUITOUS | PROBE */
const W_OP_DEPTH_BITS = W + 5;
/** TPID << 16 | TCI */
const W_OUTER = W + 6;
const W_INNER = W + 7;
const W_SENDER_IP = W + 8;
const W_TARGET_IP = W + 9;
/** MAX_VLAN_TAGS words */
const W_TAGS = W + 10;
const ROW_WORDS = W_TAGS + MAX_VLAN_TAGS;
const ROW_DOUBLES = ROW_WORDS / 2;

/**
 * `capacity` whole ArpPackets in one buffer, a row each: what a
 * component keeping frames for later (pending requests) saves and restores,
 * every field included, so a restored packet prints as the frame did. A row
 * (not a column per field): a save writes two cache lines, not eighteen.
 * Allocates only in the constructor (a store that grows is a new one, copyRows). arp-packet-store.test.ts fills every field
 * of ArpPacket and checks it comes back: a field added there and not here fails it.
 */
export class ArpPacketStore {
  private readonly f64: Float64Array;
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;

  constructor(readonly capacity: number) {
    const buf = new ArrayBuffer(capacity * ROW_WORDS * 4);
    this.f64 = new Float64Array(buf);
    this.u32 = new Uint32Array(buf);
    this.i32 = new Int32Array(buf);
  }

  get byteSize(): number {
    return this.f64.byteLength;
  }

  save(slot: number, p: Readonly<ArpPacket>): void {
    const f = slot * ROW_DOUBLES;
    const w = slot * ROW_WORDS;
    const f64 = this.f64;
    const u32 = this.u32;
    f64[f + F_TS] = p.tsMicros;
    f64[f + F_ETH_SRC] = p.ethSrc;
    f64[f + F_ETH_DST] = p.ethDst;
    f64[f + F_SENDER_MAC] = p.senderMac;
    f64[f + F_TARGET_MAC] = p.targetMac;
    u32[w + W_WIRE_LEN] = p.wireLen;
    u32[w + W_CAP_LEN] = p.capLen;
    u32[w + W_LINK_TYPE] = p.linkType;
    this.i32[w + W_SLL_TYPE] = p.sllPacketType;
    u32[w + W_SLL_IFINDEX] = p.sllIfindex;
    u32[w + W_OP_DEPTH_BITS] = (p.op << 16) | (p.vlanDepth << 8) | (p.gratuitous ? GRATUITOUS : 0) | (p.probe ? PROBE : 0);
    u32[w + W_OUTER] = (p.outerTpid << 16) | p.outerTci;
    u32[w + W_INNER] = (p.innerTpid << 16) | p.innerTci;
    u32[w + W_SENDER_IP] = p.senderIp;
    u32[w + W_TARGET_IP] = p.targetIp;
    for (let d = 0; d < MAX_VLAN_TAGS; d++) u32[w + W_TAGS + d] = p.tags[d];
  }

  /** Copies `count` rows of `from` from its slot `at` to this store's slot `to` (a store grown into a larger one). */
  copyRows(from: ArpPacketStore, at: number, count: number, to: number): void {
    this.u32.set(from.u32.subarray(at * ROW_WORDS, (at + count) * ROW_WORDS), to * ROW_WORDS);
  }

  /** Restores slot `slot` into `out` (reused) and returns it. */
  load(slot: number, out: ArpPacket): ArpPacket {
    const f = slot * ROW_DOUBLES;
    const w = slot * ROW_WORDS;
    const f64 = this.f64;
    const u32 = this.u32;
    out.tsMicros = f64[f + F_TS];
    out.ethSrc = f64[f + F_ETH_SRC];
    out.ethDst = f64[f + F_ETH_DST];
    out.senderMac = f64[f + F_SENDER_MAC];
    out.targetMac = f64[f + F_TARGET_MAC];
    out.wireLen = u32[w + W_WIRE_LEN];
    out.capLen = u32[w + W_CAP_LEN];
    out.linkType = u32[w + W_LINK_TYPE];
    out.sllPacketType = this.i32[w + W_SLL_TYPE];
    out.sllIfindex = u32[w + W_SLL_IFINDEX];
    const odb = u32[w + W_OP_DEPTH_BITS];
    out.op = odb >>> 16;
    out.vlanDepth = (odb >>> 8) & 0xff;
    out.gratuitous = (odb & GRATUITOUS) !== 0;
    out.probe = (odb & PROBE) !== 0;
    const outer = u32[w + W_OUTER];
    out.outerTpid = outer >>> 16; out.outerTci = outer & 0xffff;
    const inner = u32[w + W_INNER];
    out.innerTpid = inner >>> 16; out.innerTci = inner & 0xffff;
    out.senderIp = u32[w + W_SENDER_IP];
    out.targetIp = u32[w + W_TARGET_IP];
    for (let d = 0; d < MAX_VLAN_TAGS; d++) out.tags[d] = u32[w + W_TAGS + d];
    return out;
  }

  /** The sender and target IP of a slot, without a load (what a table keyed on them needs). */
  senderIp(slot: number): number {
    return this.u32[slot * ROW_WORDS + W_SENDER_IP];
  }

  targetIp(slot: number): number {
    return this.u32[slot * ROW_WORDS + W_TARGET_IP];
  }

  /** The VLAN key of a saved packet (ArpPacket.vlan) without a load. */
  vlan(slot: number): number {
    const w = slot * ROW_WORDS;
    return vlanKey((this.u32[w + W_OP_DEPTH_BITS] >>> 8) & 0xff, this.u32[w + W_OUTER], this.u32[w + W_INNER]);
  }
}
