import { NO_VLAN, vlanKey } from './vlan-key.js';

/** No VLAN tag at that depth. */
export { NO_VLAN } from './vlan-key.js';

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
/** Tags peeled before giving up (tcpdump peels any number; real span ports carry one or two). */
export const MAX_VLAN_TAGS = 8;

/**
 * One decoded ARP frame, all numbers: IPs as uint32, MACs as 48-bit integers
 * in a double. One instance is refilled for every frame (the hot path
 * allocates nothing); copy what you keep.
 */
export class ArpPacket {
  /** packet time, microseconds since the epoch */
  tsMicros = 0;
  /** length on the wire, and bytes captured */
  wireLen = 0;
  capLen = 0;
  linkType = 1;
  /** Ethernet source and destination (SLL: source only, 0 when the cooked header has no 6-byte address; destination 0) */
  ethSrc = 0;
  ethDst = 0;
  /** SLL packet type (0 to host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing); -1 on Ethernet */
  sllPacketType = -1;
  /** SLL2: the capturing interface's index (tcpdump prints it); 0 on other link types */
  sllIfindex = 0;
  /** number of VLAN tags peeled; outer and inner tag (TPID and TCI), NO_VLAN when absent */
  vlanDepth = 0;
  outerTpid = 0;
  outerTci = 0;
  innerTpid = 0;
  innerTci = 0;
  /** every peeled tag, outermost first, as `TPID << 16 | TCI`; only the first `vlanDepth` are this frame's
   * (outer/inner above repeat the first two: code that rebuilds a packet may set only those) */
  readonly tags = new Uint32Array(MAX_VLAN_TAGS);
  op = 0;
  senderMac = 0;
  senderIp = 0;
  targetMac = 0;
  targetIp = 0;
  /** sender IP == target IP (announcement or gratuitous reply) */
  gratuitous = false;
  /** RFC 5227 probe: a request from 0.0.0.0 */
  probe = false;

  /** The VLAN the frame belongs to, as a key (vlan-key.ts): its tag's id, QinQ's outer and inner together, or NO_VLAN. */
  get vlan(): number {
    return vlanKey(this.vlanDepth, this.outerTci, this.innerTci);
  }

  get outerVlan(): number {
    return this.vlanDepth === 0 ? NO_VLAN : this.outerTci & 0xfff;
  }

  get innerVlan(): number {
    return this.vlanDepth < 2 ? NO_VLAN : this.innerTci & 0xfff;
  }

  copyFrom(o: Readonly<ArpPacket>): this {
    this.tsMicros = o.tsMicros; this.wireLen = o.wireLen; this.capLen = o.capLen; this.linkType = o.linkType;
    this.ethSrc = o.ethSrc; this.ethDst = o.ethDst; this.sllPacketType = o.sllPacketType; this.sllIfindex = o.sllIfindex;
    this.vlanDepth = o.vlanDepth; this.outerTpid = o.outerTpid; this.outerTci = o.outerTci;
    this.innerTpid = o.innerTpid; this.innerTci = o.innerTci;
    this.tags.set(o.tags);
    this.op = o.op; this.senderMac = o.senderMac; this.senderIp = o.senderIp;
    this.targetMac = o.targetMac; this.targetIp = o.targetIp;
    this.gratuitous = o.gratuitous; this.probe = o.probe;
    return this;
  }
}
