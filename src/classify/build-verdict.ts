import { isCustomerCase } from './cases.js';
import { type ClassifyContext, routedServer } from './classify-context.js';
import type { CaseId, Verdict } from './verdict.js';

/** The verdict of a case: built when an incident opens, not per signal; `extra.emailable: false` keeps a customer case from the customer. */
export function verdict(c: ClassifyContext, caseId: CaseId, extra: Partial<Verdict> = {}): Verdict {
  const server = extra.server ?? routedServer(c) ?? c.inv.serversByIp.get(c.signal.ip) ?? null;
  const customer = extra.customer ?? c.portable?.customer ?? server?.customer ?? null;
  const muted = (customer?.muted ?? false) || (c.failover?.muted ?? false);
  return {
    caseId,
    ip: c.signal.ip,
    customer,
    server,
    failover: c.failover ?? null,
    block: c.block ?? c.failover?.block ?? null,
    portable: c.portable ?? null,
    staleServer: extra.staleServer ?? null,
    emailable: (extra.emailable ?? true) && isCustomerCase(caseId) && customer !== null && !muted,
  };
}
