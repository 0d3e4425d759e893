import { ARP_REPLY, ARP_REQUEST, type ArpPacket } from './arp-packet.js';
import { ETHERTYPE_ARP, ethertypeName } from './ethertypes.js';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL } from './link-types.js';
import { ipToString, macToString } from '../common/addr.js';
import { tcpdumpTime } from '../common/time.js';

/** Bytes of link-layer header before the tags, per link type. */
function linkHeaderLen(linkType: number): number {
  return linkType === LINKTYPE_ETHERNET ? 14 : linkType === LINKTYPE_LINUX_SLL ? 16 : 20;
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** SLL packet types as tcpdump abbreviates them (print-sll.c); `?` for the others. */
const SLL_TYPES = ['In', 'B', 'M', 'P', 'Out'];

export interface FormatTcpdumpOptions {
  /**
   * Linux cooked v2 only: the name of an interface index, as if_indextoname(3)
   * gives it on the host that prints the line (tcpdump does that lookup on the
   * reading host, and warns the names may be wrong for a file from elsewhere).
   * Unset or undefined: `?`, what tcpdump prints for an index it cannot name.
   */
  ifName?: (ifindex: number) => string | undefined;
}

/** TPID and TCI of the tag at `depth` (0 outermost). */
function tagAt(p: Readonly<ArpPacket>, depth: number): number {
  if (depth === 0) return ((p.outerTpid << 16) | p.outerTci) >>> 0;
  if (depth === 1) return ((p.innerTpid << 16) | p.innerTci) >>> 0;
  return p.tags[depth];
}

/**
 * One line as `tcpdump -tttt -nn -e` prints an ARP frame (UTC), the format
 * network engineers and customers already read:
 * `2026-11-02 09:00:00.000000 0c:c4:7a:11:22:33 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 64: vlan 100, p 0, ethertype ARP (0x0806), Request who-has 203.0.113.254 tell 198.51.100.7, length 46`
 * Linux cooked captures as tcpdump 4.99 prints them:
 * `...   B 0c:c4:7a:11:22:33 ethertype ARP (0x0806), length 62: ...` (v1),
 * `... eth0  Out ifindex 2 0c:c4:7a:11:22:33 ethertype ARP (0x0806), length 48: ...` (v2);
 * inside a cooked frame tcpdump names the type after a tag without its number.
 *
 * Known differences, all on Linux cooked frames: tcpdump prints a 6-byte
 * source address of 00:00:00:00:00:00, we omit it as if there were none (the
 * packet keeps 0 for both); tcpdump peels only 0x8100 tags there and dumps an
 * 0x88a8/0x9100-tagged frame as hex, we print it like the 0x8100 case.
 * Built only when a line is printed (evidence samples, explain), never per packet.
 */
export function formatTcpdump(p: Readonly<ArpPacket>, options: FormatTcpdumpOptions = {}): string {
  const parts: string[] = [tcpdumpTime(p.tsMicros), ' '];
  const cooked = p.linkType !== LINKTYPE_ETHERNET;
  const firstType = p.vlanDepth > 0 ? p.outerTpid : ETHERTYPE_ARP;
  const pktType = SLL_TYPES[p.sllPacketType] ?? '?';
  if (!cooked) {
    parts.push(`${macToString(p.ethSrc)} > ${macToString(p.ethDst)}, `);
  } else if (p.linkType === LINKTYPE_LINUX_SLL) {
    parts.push(`${pktType.padStart(3)} `);
  } else {
    parts.push(`${(options.ifName?.(p.sllIfindex) ?? '?').padEnd(5)} ${pktType.padEnd(3)} ifindex ${p.sllIfindex} `);
  }
  if (cooked && p.ethSrc !== 0) parts.push(`${macToString(p.ethSrc)} `);
  parts.push(`ethertype ${ethertypeName(firstType)} (0x${hex4(firstType)}), length ${p.wireLen}: `);
  for (let d = 0; d < p.vlanDepth; d++) {
    const tci = tagAt(p, d) & 0xffff;
    const next = d + 1 < p.vlanDepth ? tagAt(p, d + 1) >>> 16 : ETHERTYPE_ARP;
    parts.push(`vlan ${tci & 0xfff}, p ${tci >>> 13}${tci & 0x1000 ? ', DEI' : ''}, ethertype ${ethertypeName(next)}`);
    parts.push(cooked ? ', ' : ` (0x${hex4(next)}), `);
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
