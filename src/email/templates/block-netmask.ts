/**
 * Case 1a: an address of a RIPE block that is not split, configured with a
 * netmask wider than the block's. The fix: the block's own netmask and
 * broadcast (computed from the block by the producer), no gateway on it.
 */
import type { EmailJob } from '../job.js';
import { type AliasValues, aliasNetmask } from './alias-netmask.js';
import type { CaseTemplate, Ctx } from './context.js';
import { prefixOf } from './context.js';
import type { Block, Inline } from './doc.js';
import { code, kv, t } from './doc.js';

type RoutedBlock = NonNullable<EmailJob['remediation']['block']>;

/** The case's words in one locale (case 1's parts come with case 1's text). */
export interface BlockNetmaskText {
  subject(x: Ctx, b: RoutedBlock): string;
  summary(x: Ctx, b: RoutedBlock): Block;
  misuse(b: RoutedBlock): Block;
  fixIntro: Block;
  notUsable(b: RoutedBlock): Inline[];
  noGateway(x: Ctx): Inline[];
  forIp(ip: string): Block;
  badSender(b: RoutedBlock): Inline[];
}

export const blockNetmask: CaseTemplate<BlockNetmaskText> = (x, W) => {
  const b = x.job.remediation.block;
  if (b === undefined) return aliasNetmask(x, x.T['alias-netmask']); // no block in the job: explain it as a single address
  const A = x.T['alias-netmask'].parts;
  const L = x.L;
  const v: AliasValues = { netmask: x.job.remediation.netmask ?? b.netmask, broadcast: x.job.remediation.broadcast ?? b.broadcast };
  const check = A.check(x, v, b.cidr);
  return {
    subject: W.subject(x, b),
    summary: [W.summary(x, b), ...((x.job.evidence.counts.unusable_address ?? 0) > 0 ? [W.misuse(b)] : []), A.probablyWorks],
    fix: [
      W.fixIntro,
      kv(
        [L.label.block, [code(b.cidr)]],
        [L.label.netmask, t`${code(v.netmask)} (/${prefixOf(v.netmask)})`],
        [L.label.broadcast, [code(v.broadcast)]],
        [L.label.usable, [code(`${b.firstUsable}–${b.lastUsable}`)]],
        [L.label.notUsable, W.notUsable(b)],
        [L.label.gateway, W.noGateway(x)],
      ),
      ...A.config(x, v, W.forIp(x.ip)),
    ],
    saw: A.saw(x, b.cidr),
    check: { ...check, bad: [...check.bad, W.badSender(b)] },
    works: A.works(x, b.cidr),
  };
};
