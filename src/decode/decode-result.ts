/**
 * What decodeFrame says of a frame. ARP and NOT_ARP are the normal outcomes;
 * the rest are anomalies, each with a stable snake_case name (used in JSON,
 * metrics and logs). Ordered as checked: cheapest first.
 */
export const DecodeResult = {
  ARP: 0,
  /** a well-formed frame of another protocol (IPv4, IPv6, LLC...) */
  NOT_ARP: 1,
  /** shorter than its link-layer header */
  RUNT: 2,
  /** a VLAN tag cut short */
  TRUNCATED_VLAN: 3,
  /** more VLAN tags than the decoder peels */
  TOO_MANY_VLAN_TAGS: 4,
  /** ARP fixed header (8 bytes) or its addresses cut short */
  TRUNCATED_ARP: 5,
  /** hardware type other than Ethernet (1) */
  UNSUPPORTED_HARDWARE: 6,
  /** protocol type other than IPv4 (0x0800) */
  UNSUPPORTED_PROTOCOL: 7,
  /** hardware address length other than 6 */
  BAD_HLEN: 8,
  /** protocol address length other than 4 */
  BAD_PLEN: 9,
  /** opcode other than request (1) or reply (2) */
  UNKNOWN_OPCODE: 10,
  /** a link type the decoder does not read */
  UNSUPPORTED_LINK_TYPE: 11,
  /** a packet time we cannot represent: before 1970, past 2^53 µs (year 2255), or no time at all (checked first) */
  BAD_TIMESTAMP: 12,
} as const;
export type DecodeResult = (typeof DecodeResult)[keyof typeof DecodeResult];

/** Names indexed by result code. */
export const DECODE_RESULT_NAMES: readonly string[] = [
  'arp', 'not_arp', 'runt', 'truncated_vlan', 'too_many_vlan_tags', 'truncated_arp',
  'unsupported_hardware', 'unsupported_protocol', 'bad_hlen', 'bad_plen', 'unknown_opcode',
  'unsupported_link_type', 'bad_timestamp',
];

/** The first anomaly code; codes below it are normal outcomes. */
export const FIRST_ANOMALY = DecodeResult.RUNT;
export const RESULT_COUNT = DECODE_RESULT_NAMES.length;
