import type { Customer, FailoverIp, PortableBlock, RoutedBlock, Server } from '../inventory/model.js';

/** The stable case ids: in JSON, metrics, emails and the API. */
export const CASE_IDS = [
  'alias-netmask', 'block-netmask', 'split-block', 'vmac-gateway', 'vmac-missing', 'vm-nat-gateway',
  'portable-block-unusable', 'duplicate-ip', 'noise',
] as const;
export type CaseId = (typeof CASE_IDS)[number];

/** What a signal means for the provider: the case, and whose it is. */
export interface Verdict {
  caseId: CaseId;
  ip: number;
  customer: Customer | null;
  /** the server the IP is routed to (or whose main IP it is) */
  server: Server | null;
  failover: FailoverIp | null;
  block: RoutedBlock | null;
  portable: PortableBlock | null;
  /** duplicate-ip: the server the IP is still configured on although no longer routed there */
  staleServer: Server | null;
  /** a customer email may be sent (never for noise, nor without a customer) */
  emailable: boolean;
}
