/** LINKTYPE_* values (tcpdump.org/linktypes.html) that the decoder understands. */
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;

export function linkTypeName(linkType: number): string {
  switch (linkType) {
    case LINKTYPE_ETHERNET: return 'EN10MB (Ethernet)';
    case LINKTYPE_LINUX_SLL: return 'LINUX_SLL (Linux cooked v1)';
    case LINKTYPE_LINUX_SLL2: return 'LINUX_SLL2 (Linux cooked v2)';
    default: return `Unknown (${linkType})`;
  }
}
