import type { Cidr } from '../common/cidr.js';
import type { Locale } from '../common/locales.js';

/** The inventory as the pipeline uses it: addresses as numbers, references resolved. */

/** a customer's email locale: one of the locale registry's codes (common/locales.ts) */
export type { Locale };

export interface Customer {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  /** maintenance: incidents are kept, no email is sent */
  muted: boolean;
}

export interface Server {
  id: string;
  customer: Customer;
  /** main (physical) IP M, NIC MAC Ms, real gateway G */
  ip: number;
  mac: number;
  gateway: number;
  vlan: number | null;
}

/** A routed RIPE block (`blocks:`). Not split: the block's own netmask and broadcast. Split: every member is a failover. */
export interface RoutedBlock {
  cidr: string;
  range: Cidr;
  split: boolean;
  /** the server an unsplit block is routed to */
  server: Server | null;
}

/** A single routed IP: a failover / portable IP, or a member of a split block. */
export interface FailoverIp {
  ip: number;
  server: Server;
  virtualMac: number | null;
  /** the split block it comes from, if any */
  block: RoutedBlock | null;
  muted: boolean;
}

/** A SeFlow portable block: a secondary subnet on the customer's VLAN. First = network, second = gateway, last = broadcast. */
export interface PortableBlock {
  cidr: string;
  range: Cidr;
  gateway: number;
  customer: Customer;
  vlan: number | null;
}

export interface Router { ip: number; mac: number }

/** What owns a MAC seen on the wire. */
export type MacOwner =
  | { kind: 'server'; server: Server }
  | { kind: 'virtual-mac'; failover: FailoverIp }
  | { kind: 'router'; router: Router };
