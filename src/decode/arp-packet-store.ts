import { type ArpPacket, MAX_VLAN_TAGS } from './arp-packet.js';

const GRATUITOUS = 1;
const PROBE = 2;

/**
 * `capacity` whole ArpPackets in typed arrays, one column per field: what a
 * component keeping frames for later (pending requests) saves and restores,
 * every field included, so a restored packet prints as the frame did.
 * Allocates only in the constructor. arp-packet-store.test.ts fills every field
 * of ArpPacket and checks it comes back: a field added there and not here fails it.
 */
export class ArpPacketStore {
  private readonly tsMicros: Float64Array;
  private readonly wireLen: Uint32Array;
  private readonly capLen: Uint32Array;
  private readonly linkType: Uint32Array;
  private readonly ethSrc: Float64Array;
  private readonly ethDst: Float64Array;
  /** -1 on Ethernet, else 16 bits */
  private readonly sllPacketType: Int32Array;
  private readonly sllIfindex: Uint32Array;
  private readonly vlanDepth: Uint8Array;
  /** TPID << 16 | TCI */
  private readonly outer: Uint32Array;
  private readonly inner: Uint32Array;
  /** MAX_VLAN_TAGS per slot */
  private readonly tags: Uint32Array;
  private readonly op: Uint16Array;
  private readonly senderMac: Float64Array;
  private readonly senderIpCol: Uint32Array;
  private readonly targetMac: Float64Array;
  private readonly targetIpCol: Uint32Array;
  /** GRATUITOUS | PROBE */
  private readonly bits: Uint8Array;

  constructor(readonly capacity: number) {
    this.tsMicros = new Float64Array(capacity);
    this.wireLen = new Uint32Array(capacity);
    this.capLen = new Uint32Array(capacity);
    this.linkType = new Uint32Array(capacity);
    this.ethSrc = new Float64Array(capacity);
    this.ethDst = new Float64Array(capacity);
    this.sllPacketType = new Int32Array(capacity);
    this.sllIfindex = new Uint32Array(capacity);
    this.vlanDepth = new Uint8Array(capacity);
    this.outer = new Uint32Array(capacity);
    this.inner = new Uint32Array(capacity);
    this.tags = new Uint32Array(capacity * MAX_VLAN_TAGS);
    this.op = new Uint16Array(capacity);
    this.senderMac = new Float64Array(capacity);
    this.senderIpCol = new Uint32Array(capacity);
    this.targetMac = new Float64Array(capacity);
    this.targetIpCol = new Uint32Array(capacity);
    this.bits = new Uint8Array(capacity);
  }

  save(slot: number, p: Readonly<ArpPacket>): void {
    this.tsMicros[slot] = p.tsMicros;
    this.wireLen[slot] = p.wireLen;
    this.capLen[slot] = p.capLen;
    this.linkType[slot] = p.linkType;
    this.ethSrc[slot] = p.ethSrc;
    this.ethDst[slot] = p.ethDst;
    this.sllPacketType[slot] = p.sllPacketType;
    this.sllIfindex[slot] = p.sllIfindex;
    this.vlanDepth[slot] = p.vlanDepth;
    this.outer[slot] = (p.outerTpid << 16) | p.outerTci;
    this.inner[slot] = (p.innerTpid << 16) | p.innerTci;
    const t = slot * MAX_VLAN_TAGS;
    for (let d = 0; d < MAX_VLAN_TAGS; d++) this.tags[t + d] = p.tags[d];
    this.op[slot] = p.op;
    this.senderMac[slot] = p.senderMac;
    this.senderIpCol[slot] = p.senderIp;
    this.targetMac[slot] = p.targetMac;
    this.targetIpCol[slot] = p.targetIp;
    this.bits[slot] = (p.gratuitous ? GRATUITOUS : 0) | (p.probe ? PROBE : 0);
  }

  /** Restores slot `slot` into `out` (reused) and returns it. */
  load(slot: number, out: ArpPacket): ArpPacket {
    out.tsMicros = this.tsMicros[slot];
    out.wireLen = this.wireLen[slot];
    out.capLen = this.capLen[slot];
    out.linkType = this.linkType[slot];
    out.ethSrc = this.ethSrc[slot];
    out.ethDst = this.ethDst[slot];
    out.sllPacketType = this.sllPacketType[slot];
    out.sllIfindex = this.sllIfindex[slot];
    out.vlanDepth = this.vlanDepth[slot];
    const outer = this.outer[slot];
    out.outerTpid = outer >>> 16; out.outerTci = outer & 0xffff;
    const inner = this.inner[slot];
    out.innerTpid = inner >>> 16; out.innerTci = inner & 0xffff;
    const t = slot * MAX_VLAN_TAGS;
    for (let d = 0; d < MAX_VLAN_TAGS; d++) out.tags[d] = this.tags[t + d];
    out.op = this.op[slot];
    out.senderMac = this.senderMac[slot];
    out.senderIp = this.senderIpCol[slot];
    out.targetMac = this.targetMac[slot];
    out.targetIp = this.targetIpCol[slot];
    const bits = this.bits[slot];
    out.gratuitous = (bits & GRATUITOUS) !== 0;
    out.probe = (bits & PROBE) !== 0;
    return out;
  }

  /** The sender and target IP of a slot, without a load (what a table keyed on them needs). */
  senderIp(slot: number): number {
    return this.senderIpCol[slot];
  }

  targetIp(slot: number): number {
    return this.targetIpCol[slot];
  }

  /** senderIp and targetIp as int32 (`| 0`, the same bits, what IP hash tables take): a small integer, never boxed on return. */
  senderIp32(slot: number): number {
    return this.senderIpCol[slot] | 0;
  }

  targetIp32(slot: number): number {
    return this.targetIpCol[slot] | 0;
  }
}
