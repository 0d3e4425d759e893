import type { Customer, FailoverIp, PortableBlock, RoutedBlock, Server } from '../inventory/model.js';

import type { CaseId } from './cases.js';

/** The case ids and their list come from the case registry (cases.ts). */
export { CASE_IDS, type CaseId, type CustomerCaseId } from './cases.js';

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

/**
 * The verdict of nobody's incident: no customer, server or block, no email. A flood's or an overflow's
 * (NOC only, `ip` 0), a test's, or a restored incident's until the inventory gives its own.
 */
export function nobodysVerdict(caseId: CaseId, ip: number): Verdict {
  return { caseId, ip, customer: null, server: null, failover: null, block: null, portable: null, staleServer: null, emailable: false };
}
