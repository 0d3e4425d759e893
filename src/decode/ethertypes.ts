export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV4 = 0x0800;
/** 802.1Q customer tag */
export const ETHERTYPE_8021Q = 0x8100;
/** 802.1ad service tag (QinQ outer) */
export const ETHERTYPE_8021AD = 0x88a8;
/** pre-standard QinQ outer tag */
export const ETHERTYPE_QINQ_9100 = 0x9100;

/** The tag types peeled by the decoder's VLAN loop, as a lookup table (Zeek's idea: a table, not scattered ifs). */
const VLAN_TPIDS = new Uint8Array(0x10000);
VLAN_TPIDS[ETHERTYPE_8021Q] = 1;
VLAN_TPIDS[ETHERTYPE_8021AD] = 1;
VLAN_TPIDS[ETHERTYPE_QINQ_9100] = 1;

export function isVlanTpid(type: number): boolean {
  return VLAN_TPIDS[type] === 1;
}

/** As tcpdump names them in `-e` output. */
export function ethertypeName(type: number): string {
  switch (type) {
    case ETHERTYPE_ARP: return 'ARP';
    case ETHERTYPE_IPV4: return 'IPv4';
    case ETHERTYPE_8021Q: return '802.1Q';
    case ETHERTYPE_8021AD: return '802.1Q-QinQ';
    case ETHERTYPE_QINQ_9100: return '802.1Q-9100';
    case 0x86dd: return 'IPv6';
    default: return 'Unknown';
  }
}
