import type { ArpPacket } from '../decode/arp-packet.js';
import { encodeFrame } from '../decode/encode-frame.js';

const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
const SNAPLEN = 262144;

/**
 * An incident's evidence frames as a classic pcap file (µs timestamps, the frames' link type), what Wireshark and
 * `tcpdump -r` open. A pcap has one link type: frames of another (a pcapng capture mixing interfaces) are left out.
 */
export function evidencePcap(frames: readonly Readonly<ArpPacket>[]): Uint8Array {
  const linkType = frames.length > 0 ? frames[0].linkType : 1;
  const bodies = frames.filter((f) => f.linkType === linkType).map((f) => ({ p: f, bytes: encodeFrame(f) }));
  let size = 24;
  for (const b of bodies) size += 16 + b.bytes.length;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  // little-endian, as libpcap writes on the machines we run on; readers take either order
  v.setUint32(0, PCAP_MAGIC_MICROS, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, SNAPLEN, true);
  v.setUint32(20, linkType, true);
  let o = 24;
  for (const { p, bytes } of bodies) {
    v.setUint32(o, Math.floor(p.tsMicros / 1e6), true);
    v.setUint32(o + 4, p.tsMicros % 1e6, true);
    v.setUint32(o + 8, bytes.length, true);
    v.setUint32(o + 12, Math.max(p.wireLen, bytes.length), true);
    out.set(bytes, o + 16);
    o += 16 + bytes.length;
  }
  return out;
}
