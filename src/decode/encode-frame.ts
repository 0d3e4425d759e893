import type { ArpPacket } from './arp-packet.js';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from './ethertypes.js';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL } from './link-types.js';

const ARPHRD_ETHER = 1;
/** ARP for Ethernet/IPv4: the only kind decodeFrame accepts */
const ARP_IPV4_LEN = 28;
const TWO_POW_32 = 4294967296;

/**
 * The frame a decoded ArpPacket came from, rebuilt from its fields: the link-layer header (Ethernet, Linux
 * cooked v1 or v2), every VLAN tag, the ARP body, and zero padding up to the captured length. What an
 * incident's evidence pcap holds: every field tcpdump prints is kept in the packet, so `tcpdump -tttt -nn -e`
 * prints this frame as formatTcpdump printed the original. The padding's bytes are not kept (tcpdump -e does
 * not print them), and a cooked header's 6-byte source of zeros comes back as no address (formatTcpdump omits
 * it too). Built only when someone asks for the evidence, never per packet.
 */
export function encodeFrame(p: Readonly<ArpPacket>): Uint8Array {
  const linkLen = p.linkType === LINKTYPE_ETHERNET ? 14 : p.linkType === LINKTYPE_LINUX_SLL ? 16 : 20;
  const arpAt = linkLen + 4 * p.vlanDepth;
  const frame = new Uint8Array(Math.max(p.capLen, arpAt + ARP_IPV4_LEN));
  const firstType = p.vlanDepth > 0 ? tagAt(p, 0) >>> 16 : ETHERTYPE_ARP;
  if (p.linkType === LINKTYPE_ETHERNET) {
    putMac(frame, 0, p.ethDst);
    putMac(frame, 6, p.ethSrc);
    put16(frame, 12, firstType);
  } else if (p.linkType === LINKTYPE_LINUX_SLL) {
    put16(frame, 0, p.sllPacketType);
    put16(frame, 2, ARPHRD_ETHER);
    if (p.ethSrc !== 0) {
      put16(frame, 4, 6);
      putMac(frame, 6, p.ethSrc);
    }
    put16(frame, 14, firstType);
  } else {
    put16(frame, 0, firstType);
    put32(frame, 4, p.sllIfindex);
    put16(frame, 8, ARPHRD_ETHER);
    frame[10] = p.sllPacketType;
    if (p.ethSrc !== 0) {
      frame[11] = 6;
      putMac(frame, 12, p.ethSrc);
    }
  }
  for (let d = 0; d < p.vlanDepth; d++) {
    const off = linkLen + 4 * d;
    put16(frame, off, tagAt(p, d) & 0xffff);
    put16(frame, off + 2, d + 1 < p.vlanDepth ? tagAt(p, d + 1) >>> 16 : ETHERTYPE_ARP);
  }
  put16(frame, arpAt, ARPHRD_ETHER);
  put16(frame, arpAt + 2, ETHERTYPE_IPV4);
  frame[arpAt + 4] = 6;
  frame[arpAt + 5] = 4;
  put16(frame, arpAt + 6, p.op);
  putMac(frame, arpAt + 8, p.senderMac);
  put32(frame, arpAt + 14, p.senderIp);
  putMac(frame, arpAt + 18, p.targetMac);
  put32(frame, arpAt + 24, p.targetIp);
  return frame;
}

/** TPID << 16 | TCI of the tag at `depth` (0 outermost): the first two from outer/inner, which every producer sets. */
function tagAt(p: Readonly<ArpPacket>, depth: number): number {
  if (depth === 0) return ((p.outerTpid << 16) | p.outerTci) >>> 0;
  if (depth === 1) return ((p.innerTpid << 16) | p.innerTci) >>> 0;
  return p.tags[depth];
}

function put16(f: Uint8Array, o: number, v: number): void {
  f[o] = (v >>> 8) & 0xff;
  f[o + 1] = v & 0xff;
}

function put32(f: Uint8Array, o: number, v: number): void {
  put16(f, o, (v >>> 16) & 0xffff);
  put16(f, o + 2, v & 0xffff);
}

function putMac(f: Uint8Array, o: number, mac: number): void {
  put16(f, o, Math.floor(mac / TWO_POW_32));
  put32(f, o + 2, mac % TWO_POW_32);
}
