import { LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from '../decode/link-types.js';

/**
 * ARP untagged, single-tagged or double-tagged. Each `vlan` shifts the offsets
 * for the rest of the expression, so the QinQ test nests inside the 802.1Q one
 * (`vlan and vlan and arp` beside `vlan and arp` would test three tags).
 */
export const TAGGED_ARP_FILTER = 'arp or (vlan and (arp or (vlan and arp)))';
/** libpcap refuses `vlan` on Linux cooked captures (the `any` device), where the kernel has removed the tags anyway. */
export const COOKED_ARP_FILTER = 'arp';

export function arpFilterFor(linkType: number): string {
  return linkType === LINKTYPE_LINUX_SLL || linkType === LINKTYPE_LINUX_SLL2 ? COOKED_ARP_FILTER : TAGGED_ARP_FILTER;
}
