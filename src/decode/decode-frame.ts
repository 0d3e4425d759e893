import { ARP_REPLY, ARP_REQUEST, MAX_VLAN_TAGS, type ArpPacket } from './arp-packet.js';
import { isPacketTime } from '../common/time.js';
import { DecodeResult } from './decode-result.js';
import { ETHERTYPE_ARP, isVlanTpid } from './ethertypes.js';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from './link-types.js';

export { MAX_VLAN_TAGS } from './arp-packet.js';
/** ARP for Ethernet/IPv4: 8-byte fixed header + 2 × (6 + 4) address bytes (RFC 826). */
const ARP_IPV4_LEN = 28;
const TWO_POW_32 = 4294967296;

/**
 * Decodes one captured frame into `out` (reused). Reads the bytes in place,
 * checks every length before reading, never throws, allocates nothing.
 * Link layer → VLAN tags (802.1Q, 802.1ad, 0x9100) → ARP for Ethernet/IPv4.
 * On NOT_ARP or an anomaly, `out` holds what was read up to that point.
 * The frame is `capLen` bytes from `base` (frames of a batch lie back to back in one buffer).
 */
export function decodeFrame(frame: Uint8Array, capLen: number, wireLen: number, linkType: number,
  tsMicros: number, out: ArpPacket, base = 0): DecodeResult {
  // Small enough to be inlined: the time (a double) goes into the packet without being boxed for the call to the body.
  out.tsMicros = tsMicros;
  return decodeInto(frame, capLen, wireLen, linkType, out, base);
}

/**
 * decodeFrame for a caller that has set `out.tsMicros` itself: the per-frame
 * path passes no double to a call that may not be inlined (V8 boxes it: an allocation per frame).
 */
export function decodeInto(frame: Uint8Array, capLen: number, wireLen: number, linkType: number, out: ArpPacket, base: number): DecodeResult {
  // a time out of range (or NaN, the addon's mark for a record without one) would throw where it is printed and stop packet time
  if (!isPacketTime(out.tsMicros)) return DecodeResult.BAD_TIMESTAMP;
  // A record longer than the frame on the wire is corrupt (tcpdump: "Invalid header"): bytes past wireLen are not the frame.
  if (capLen > wireLen) capLen = wireLen;
  out.wireLen = wireLen;
  out.capLen = capLen;
  out.linkType = linkType;
  out.vlanDepth = 0;
  out.outerTpid = 0; out.outerTci = 0; out.innerTpid = 0; out.innerTci = 0;

  const end = base + capLen;
  // the buffer's view looked up once a frame, not once a field
  const v = viewOf(frame);
  let off: number;
  let type: number;
  if (linkType === LINKTYPE_ETHERNET) {
    if (capLen < 14) return DecodeResult.RUNT;
    out.ethDst = mac48(v, base + 0);
    out.ethSrc = mac48(v, base + 6);
    out.sllPacketType = -1;
    out.sllIfindex = 0;
    type = (frame[base + 12] << 8) | frame[base + 13];
    off = base + 14;
  } else if (linkType === LINKTYPE_LINUX_SLL) {
    // packet type, ARPHRD type, address length, 8 address bytes, protocol
    if (capLen < 16) return DecodeResult.RUNT;
    out.sllPacketType = (frame[base + 0] << 8) | frame[base + 1];
    out.sllIfindex = 0;
    // the address length is 16 bits: 0x0106 is not 6
    out.ethSrc = frame[base + 4] === 0 && frame[base + 5] === 6 ? mac48(v, base + 6) : 0;
    out.ethDst = 0;
    type = (frame[base + 14] << 8) | frame[base + 15];
    off = base + 16;
  } else if (linkType === LINKTYPE_LINUX_SLL2) {
    // protocol, reserved, ifindex, ARPHRD type, packet type, address length, 8 address bytes
    if (capLen < 20) return DecodeResult.RUNT;
    type = (frame[base + 0] << 8) | frame[base + 1];
    out.sllPacketType = frame[base + 10];
    out.sllIfindex = v.getUint32(base + 4);
    out.ethSrc = frame[base + 11] === 6 ? mac48(v, base + 12) : 0;
    out.ethDst = 0;
    off = base + 20;
  } else {
    return DecodeResult.UNSUPPORTED_LINK_TYPE;
  }

  while (isVlanTpid(type)) {
    if (out.vlanDepth === MAX_VLAN_TAGS) return DecodeResult.TOO_MANY_VLAN_TAGS;
    if (off + 4 > end) return DecodeResult.TRUNCATED_VLAN;
    const tci = (frame[off] << 8) | frame[off + 1];
    out.tags[out.vlanDepth] = (type << 16) | tci;
    if (out.vlanDepth === 0) { out.outerTpid = type; out.outerTci = tci; } else if (out.vlanDepth === 1) { out.innerTpid = type; out.innerTci = tci; }
    out.vlanDepth++;
    type = (frame[off + 2] << 8) | frame[off + 3];
    off += 4;
  }
  if (type !== ETHERTYPE_ARP) return DecodeResult.NOT_ARP;

  if (off + 8 > end) return DecodeResult.TRUNCATED_ARP;
  if (((frame[off] << 8) | frame[off + 1]) !== 1) return DecodeResult.UNSUPPORTED_HARDWARE;
  if (((frame[off + 2] << 8) | frame[off + 3]) !== 0x0800) return DecodeResult.UNSUPPORTED_PROTOCOL;
  if (frame[off + 4] !== 6) return DecodeResult.BAD_HLEN;
  if (frame[off + 5] !== 4) return DecodeResult.BAD_PLEN;
  if (off + ARP_IPV4_LEN > end) return DecodeResult.TRUNCATED_ARP;
  const op = (frame[off + 6] << 8) | frame[off + 7];
  if (op !== ARP_REQUEST && op !== ARP_REPLY) return DecodeResult.UNKNOWN_OPCODE;

  out.op = op;
  out.senderMac = mac48(v, off + 8);
  out.senderIp = v.getUint32(off + 14);
  out.targetMac = mac48(v, off + 18);
  out.targetIp = v.getUint32(off + 24);
  out.gratuitous = out.senderIp === out.targetIp && out.senderIp !== 0;
  out.probe = op === ARP_REQUEST && out.senderIp === 0;
  return DecodeResult.ARP;
}

/** Did the frame carry the ARP ethertype (well-formed or not)? That is what `tcpdump arp` counts. */
export function reachedArp(result: DecodeResult): boolean {
  return result === DecodeResult.ARP || (result >= DecodeResult.TRUNCATED_ARP && result <= DecodeResult.UNKNOWN_OPCODE);
}

/** A DataView over the last buffer decoded: batches reuse one buffer, so this is built once, not per frame. */
let viewBuffer: Uint8Array | null = null;
let view: DataView = new DataView(new ArrayBuffer(0));
function viewOf(f: Uint8Array): DataView {
  if (f !== viewBuffer) {
    viewBuffer = f;
    view = new DataView(f.buffer, f.byteOffset, f.byteLength);
  }
  return view;
}

/** 48-bit MAC, big-endian, as one number: two loads instead of six. */
function mac48(v: DataView, o: number): number {
  return v.getUint16(o) * TWO_POW_32 + v.getUint32(o + 2);
}
