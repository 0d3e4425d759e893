import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from '../decode/link-types.js';
import { CaptureError } from './capture-error.js';
import { type OpenedCapture, pcap } from './native-capture.js';

/** The link types decodeFrame reads. */
const DECODED_LINK_TYPES: readonly number[] = [LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2];

/**
 * Closes `opened` and refuses it when the decoder cannot read its link type: every frame would be counted
 * malformed and the run report no incident (and a live capture's default filter fail on `vlan`, a message about
 * a filter its user never wrote). `subject` names the file or interface.
 */
export function refuseUndecodedLinkType(subject: string, opened: OpenedCapture): void {
  if (DECODED_LINK_TYPES.includes(opened.linkType)) return;
  pcap.close(opened.handle);
  throw new CaptureError(subject, `link type ${opened.linkTypeName}: arpwarden reads Ethernet (EN10MB) and Linux cooked (LINUX_SLL, LINUX_SLL2) captures only`);
}
