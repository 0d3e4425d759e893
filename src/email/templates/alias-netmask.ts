/**
 * Case 1: a failover IP without virtual MAC, configured as an alias with a
 * netmask wider than /32. The fix: netmask 255.255.255.255, broadcast = the
 * IP, no gateway on the alias. Each locale's AliasParts (in its case-1
 * text) are shared with 1a (block-netmask) and 1b (split-block), which
 * differ in their values and their explanation.
 */
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import { prefixOf } from './context.js';
import type { Block, Inline } from './doc.js';
import { code, kv, para, t } from './doc.js';
import { aliasSnippets, distroBlocks, IFACE, likelyPrefix, whoHas } from './snippets.js';

export interface AliasValues {
  netmask: string;
  broadcast: string;
}

/** What the 1, 1a and 1b emails share, in each locale's words. */
export interface AliasParts {
  probablyWorks: Block;
  /** the values table: address, netmask, broadcast, "no gateway" */
  values(x: Ctx, v: AliasValues): Block;
  /** the interface note, `intro` if any, the three snippets, and how to apply them */
  config(x: Ctx, v: AliasValues, intro?: Block): Block[];
  /** what the sample lines show; `scope` is the block for 1a */
  saw(x: Ctx, scope: string | null): Block[];
  check(x: Ctx, v: AliasValues, scope: string | null): CaseText['check'];
  /** the FAQ's middle; `routed` is the IP, or the block for 1a */
  works(x: Ctx, routed: string): Block[];
}

/** Case 1's text in one locale: its own subject, summary and fix intro, and the parts 1a and 1b share. */
export interface AliasNetmaskText {
  parts: AliasParts;
  subject(x: Ctx): string;
  summary(x: Ctx): Block;
  fixIntro(x: Ctx): Block;
}

/** AliasParts.config: the same in every locale but for the common wording. */
export function aliasConfig(x: Ctx, v: AliasValues, intro?: Block): Block[] {
  const block = x.job.remediation.block;
  const guess = likelyPrefix(x.ip, x.targets.filter((a) => a !== x.server?.gateway), block === undefined ? null : prefixOf(block.netmask));
  const today = guess === null ? x.L.prefixWord : String(guess);
  return [
    para(x.L.ifaceNote(x.ip)),
    ...(intro === undefined ? [] : [intro]),
    ...distroBlocks(
      x.L,
      aliasSnippets({ ip: x.ip, prefix: prefixOf(v.netmask), netmask: v.netmask, broadcast: v.broadcast, keepMain: x.L.keepMain, today }),
      { nm: x.L.nmPrefixNote(x.ip, guess), windows: x.L.windowsAliasNote(x.server?.ip ?? null, x.ip) },
    ),
    para(x.L.applySafely(x.server?.ip ?? null, x.ip)),
  ];
}

/** AliasParts.values with the locale's words for "no gateway". */
export const aliasTable = (x: Ctx, v: AliasValues, noGateway: Inline[]): Block =>
  kv(
    [x.L.label.address, [code(x.ip)]],
    [x.L.label.netmask, t`${code(v.netmask)} (/${prefixOf(v.netmask)})`],
    [x.L.label.broadcast, [code(v.broadcast)]],
    [x.L.label.gateway, noGateway],
  );

/** the first request of the samples, as tcpdump shows it */
export const firstRequest = (x: Ctx): Inline[] => (x.targets.length > 0 ? [whoHas(x.targets[0], x.ip)] : []);
export const inet = (x: Ctx, v: AliasValues): Inline => code(`inet ${x.ip}/${prefixOf(v.netmask)}`);
export const ipAddr = code(`ip -4 addr show dev ${IFACE}`);

/** Case 1 values: 255.255.255.255 and the IP (computed by the producer; the same rule here if absent). */
export const failoverValues = (x: Ctx): AliasValues => ({
  netmask: x.job.remediation.netmask ?? '255.255.255.255',
  broadcast: x.job.remediation.broadcast ?? x.ip,
});

function build(x: Ctx, A: AliasParts, subject: string, summary: Block, fixIntro: Block): CaseText {
  const v = failoverValues(x);
  return {
    subject,
    summary: [summary, A.probablyWorks],
    fix: [fixIntro, A.values(x, v), ...A.config(x, v)],
    saw: A.saw(x, null),
    check: A.check(x, v, null),
    works: A.works(x, x.ip),
  };
}

export const aliasNetmask: CaseTemplate<AliasNetmaskText> = (x, T) => build(x, T.parts, T.subject(x), T.summary(x), T.fixIntro(x));
