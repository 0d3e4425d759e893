import { ARP_REPLY, ARP_REQUEST, type ArpPacket } from './arp-packet.js';
import { ipToString, macToString } from './addr.js';
import { ETHERTYPE_ARP, ethertypeName } from './ethertypes.js';
import { LINKTYPE_ETHERNET } from './link-types.js';
import { tcpdumpTime } from '../common/time.js';

/** Bytes of link-layer header before the tags, per link type. */
function linkHeaderLen(linkType: number): number {
  return linkType === LINKTYPE_ETHERNET ? 14 : linkType === 113 ? 16 : 20;
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** SLL packet types as tcpdump abbreviates them. */
const SLL_TYPES = ['In', 'B', 'M', 'P', 'Out'];

/**
 * One line as `tcpdump -tttt -nn -e` prints an ARP frame (UTC), the format
 * network engineers and customers already read:
 * `2026-11-02 09:00:00.000000 0c:c4:7a:11:22:33 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 64: vlan 100, p 0, ethertype ARP (0x0806), Request who-has 203.0.113.254 tell 198.51.100.7, length 46`
 * Built only when a line is printed (evidence samples, explain), never per packet.
 */
export function formatTcpdump(p: Readonly<ArpPacket>): string {
  const parts: string[] = [tcpdumpTime(p.tsMicros), ' '];
  const firstType = p.vlanDepth > 0 ? p.outerTpid : ETHERTYPE_ARP;
  if (p.linkType === LINKTYPE_ETHERNET) {
    parts.push(`${macToString(p.ethSrc)} > ${macToString(p.ethDst)}, `);
  } else {
    parts.push(`${(SLL_TYPES[p.sllPacketType] ?? '?').padStart(3)} ${macToString(p.ethSrc)} `);
  }
  parts.push(`ethertype ${ethertypeName(firstType)} (0x${hex4(firstType)}), length ${p.wireLen}: `);
  for (let d = 0; d < p.vlanDepth && d < 2; d++) {
    const tci = d === 0 ? p.outerTci : p.innerTci;
    const next = d + 1 < p.vlanDepth ? p.innerTpid : ETHERTYPE_ARP;
    parts.push(`vlan ${tci & 0xfff}, p ${tci >>> 13}${tci & 0x1000 ? ', DEI' : ''}, ethertype ${ethertypeName(next)} (0x${hex4(next)}), `);
  }
  parts.push(arpText(p));
  const arpLen = p.wireLen - linkHeaderLen(p.linkType) - 4 * p.vlanDepth;
  parts.push(`, length ${arpLen}`);
  return parts.join('');
}

/** The ARP part alone, as tcpdump's print-arp.c words it (RFC 826). */
export function arpText(p: Readonly<ArpPacket>): string {
  if (p.op === ARP_REQUEST) {
    const tha = p.targetMac !== 0 ? ` (${macToString(p.targetMac)})` : '';
    return `Request who-has ${ipToString(p.targetIp)}${tha} tell ${ipToString(p.senderIp)}`;
  }
  if (p.op === ARP_REPLY) return `Reply ${ipToString(p.senderIp)} is-at ${macToString(p.senderMac)}`;
  return `Unknown (${p.op})`;
}
