/**
 * Case 1a: an address of a RIPE block that is not split, configured with a
 * netmask wider than the block's. The fix: the block's own netmask and
 * broadcast (computed from the block by the producer), no gateway on it.
 * The block's network or broadcast address itself seen as a sender (every
 * address of the block configured, with a wider netmask) is not given the
 * block's netmask: it is removed (`reserved`).
 */
import type { EmailJob } from '../job.js';
import { type AliasValues, aliasNetmask } from './alias-netmask.js';
import type { CaseTemplate, Ctx } from './context.js';
import { prefixOf } from './context.js';
import type { Block, Inline } from './doc.js';
import { code, kv, t } from './doc.js';
import { ipAddr } from './alias-netmask.js';

type RoutedBlock = NonNullable<EmailJob['remediation']['block']>;
/** which of the block's unusable addresses the IP is */
export type ReservedRole = 'network' | 'broadcast';

/** The role of the IP in its block, or null for a usable address. */
export const reservedRole = (ip: string, b: RoutedBlock): ReservedRole | null => (ip === b.network ? 'network' : ip === b.broadcast ? 'broadcast' : null);

/** The email of the block's network or broadcast address in use: remove it (its words in one locale). */
export interface BlockReservedText {
  /** "the block's broadcast address" */
  role: Record<ReservedRole, string>;
  subject(x: Ctx, b: RoutedBlock): string;
  summary(x: Ctx, b: RoutedBlock, role: string): Block;
  /** remove it now and from the configuration (the duplicate case's commands), and put nothing in its place */
  remove(x: Ctx, b: RoutedBlock): Block[];
  saw(x: Ctx, role: string): Block;
  /** after the self-check: the interface no longer lists the IP (`ip -4 addr show dev eth0`, given) */
  gone(x: Ctx, ipAddr: Inline): Block;
  works(x: Ctx, b: RoutedBlock, role: string): Block;
}

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
  reserved: BlockReservedText;
}

export const blockNetmask: CaseTemplate<BlockNetmaskText> = (x, W) => {
  const b = x.job.remediation.block;
  if (b === undefined) return aliasNetmask(x, x.T['alias-netmask']); // no block in the job: explain it as a single address
  const A = x.T['alias-netmask'].parts;
  const L = x.L;
  const v: AliasValues = { netmask: x.job.remediation.netmask ?? b.netmask, broadcast: x.job.remediation.broadcast ?? b.broadcast };
  const check = A.check(x, v, b.cidr);
  const table = kv(
    [L.label.block, [code(b.cidr)]],
    [L.label.netmask, t`${code(v.netmask)} (/${prefixOf(v.netmask)})`],
    [L.label.broadcast, [code(v.broadcast)]],
    [L.label.usable, [code(`${b.firstUsable}–${b.lastUsable}`)]],
    [L.label.notUsable, W.notUsable(b)],
    [L.label.gateway, W.noGateway(x)],
  );
  const reserved = reservedRole(x.ip, b);
  if (reserved !== null) {
    const R = W.reserved;
    const role = R.role[reserved];
    return {
      subject: R.subject(x, b),
      summary: [R.summary(x, b, role), A.probablyWorks],
      fix: [W.fixIntro, table, ...R.remove(x, b)],
      saw: [R.saw(x, role)],
      check: { where: check.where, good: check.good, bad: [W.badSender(b)], extra: [R.gone(x, ipAddr)] },
      works: [R.works(x, b, role)],
    };
  }
  return {
    subject: W.subject(x, b),
    summary: [W.summary(x, b), ...((x.job.evidence.counts.unusable_address ?? 0) > 0 ? [W.misuse(b)] : []), A.probablyWorks],
    fix: [
      W.fixIntro,
      table,
      ...A.config(x, v, W.forIp(x.ip)),
    ],
    saw: A.saw(x, b.cidr),
    check: { ...check, bad: [...check.bad, W.badSender(b)] },
    works: A.works(x, b.cidr),
  };
};
