import { LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from '../decode/link-types.js';
import { CaptureError } from './capture-error.js';
import { MAX_FILTER_BYTES, type PcapHandle, pcap } from './native-capture.js';

/**
 * ARP untagged, single-tagged or double-tagged. Each `vlan` shifts the offsets
 * for the rest of the expression, so the QinQ test nests inside the 802.1Q one
 * (`vlan and vlan and arp` beside `vlan and arp` would test three tags).
 */
export const TAGGED_ARP_FILTER = taggedArpFilter('arp');

/** `arp` (an ARP primitive: `arp`, `arp host 192.0.2.1`) untagged, single-tagged or double-tagged, as TAGGED_ARP_FILTER nests it. */
export function taggedArpFilter(arp: string): string {
  return `${arp} or (vlan and (${arp} or (vlan and ${arp})))`;
}
/** libpcap refuses `vlan` on Linux cooked captures (the `any` device), where the kernel has removed the tags anyway. */
export const COOKED_ARP_FILTER = 'arp';

export function arpFilterFor(linkType: number): string {
  return linkType === LINKTYPE_LINUX_SLL || linkType === LINKTYPE_LINUX_SLL2 ? COOKED_ARP_FILTER : TAGGED_ARP_FILTER;
}

/** How an error names a filter: the expression itself, or its size when quoting it would flood the line. */
export function filterSubject(filter: string): string {
  return filter.length > 200 ? `filter (${Buffer.byteLength(filter)} bytes)` : `filter ${JSON.stringify(filter)}`;
}

/** What the addon would refuse or cut, refused here whole in one line that does not repeat a huge argument. */
export function checkFilterText(filter: string): void {
  const n = Buffer.byteLength(filter);
  if (n > MAX_FILTER_BYTES) throw new CaptureError('filter', `${n.toLocaleString('en-US')} bytes, more than the ${MAX_FILTER_BYTES.toLocaleString('en-US')} a capture filter may have`);
  if (filter.includes('\0')) throw new CaptureError('filter', 'contains a NUL character');
}

/** Compiles and sets `filter` on an open handle; libpcap's refusal is one line naming the filter, and the handle is closed. */
export function setFilterOrClose(handle: PcapHandle, filter: string): void {
  try {
    pcap.setFilter(handle, filter);
  } catch (e) {
    pcap.close(handle);
    throw new CaptureError(filterSubject(filter), e instanceof Error ? e.message : String(e));
  }
}
