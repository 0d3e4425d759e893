/**
 * Case 1b: an address of a split RIPE block, without virtual MAC, configured
 * with a netmask wider than /32. A split block's addresses are used one by
 * one, so each follows the failover rules: the fix is case 1's, saying why.
 */
import { aliasNetmask, failoverValues } from './alias-netmask.js';
import type { CaseTemplate, Ctx } from './context.js';
import type { Block } from './doc.js';

/** The case's words in one locale (case 1's parts come with case 1's text). */
export interface SplitBlockText {
  subject(x: Ctx, cidr: string): string;
  summary(x: Ctx, cidr: string): Block;
  fixIntro(x: Ctx, blockNetmask: string): Block;
}

export const splitBlock: CaseTemplate<SplitBlockText> = (x, W) => {
  const b = x.job.remediation.block;
  if (b === undefined) return aliasNetmask(x, x.T['alias-netmask']); // no block in the job: the failover wording alone
  const A = x.T['alias-netmask'].parts;
  const v = failoverValues(x);
  return {
    subject: W.subject(x, b.cidr),
    summary: [W.summary(x, b.cidr), A.probablyWorks],
    fix: [W.fixIntro(x, b.netmask), A.values(x, v), ...A.config(x, v)],
    saw: A.saw(x, null),
    check: A.check(x, v, null),
    works: A.works(x, x.ip),
  };
};
