/** What a case template gets: the job, the locale's shared wording and case texts, and values derived once from the job. */
import type { Locale } from '../../common/locales.js';
import type { EmailJob } from '../job.js';
import type { CaseTexts, LocaleText } from '../locales/locale-text.js';
import type { Common } from './common.js';
import { type Block, type Inline, joinList } from './doc.js';

export interface Ctx {
  job: EmailJob;
  locale: Locale;
  L: Common;
  /** the locale's text of every case: 1a and 1b build on case 1's */
  T: CaseTexts;
  ip: string;
  /** the server the IP is routed to (null for a portable block) */
  server: EmailJob['server'];
  /** `who-has X` targets of the samples, distinct, in order (the job's structured evidence) */
  targets: string[];
  /** ARP sender MACs of the samples, distinct, in order */
  macs: string[];
}

/** The parts of an email that differ per case; the rest (why, evidence, FAQ frame, vRack, signature) is shared. */
export interface CaseText {
  /** after "[Provider] ": names the IP and the case in plain words */
  subject: string;
  /** the opening paragraphs: the IP, where it is, what is wrong */
  summary: Block[];
  /** what to change: the customer's own values and configuration */
  fix: Block[];
  /** what the sample lines show, in words (after the lines) */
  saw: Block[];
  check: {
    /** where to run tcpdump: "On srv-1042" */
    where: string;
    good: Inline[][];
    bad: Inline[][];
    /** more checks after the lists (the interface's address or MAC) */
    extra?: Block[];
  };
  /** the FAQ's middle: why this IP works although it is badly configured */
  works: Block[];
}

/**
 * A case's email: the values it computes once from the job, for every locale
 * (which gateway, which MAC), handed to the locale's text of the case, whose
 * type T the case chooses (the extra arguments it computes).
 */
export type CaseTemplate<T> = (x: Ctx, text: T) => CaseText;

export function makeCtx(job: EmailJob, text: LocaleText): Ctx {
  return {
    job,
    locale: job.customer.locale,
    L: text.common,
    T: text.cases,
    ip: job.ip,
    server: job.server,
    targets: job.evidence.targets,
    macs: job.evidence.macs,
  };
}

/** "/32" from 255.255.255.255 */
export function prefixOf(netmask: string): number {
  return netmask.split('.').reduce((n, o) => n + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

/** The role of an address inside a portable block, or null when it is usable. */
export function reservedRole(ip: string, block: { network: string; broadcast: string }, gateway: string | undefined): 'network' | 'gateway' | 'broadcast' | null {
  if (ip === block.network) return 'network';
  if (ip === block.broadcast) return 'broadcast';
  if (gateway !== undefined && ip === gateway) return 'gateway';
  return null;
}

/** The server's main IP M, or the locale's words for it. */
export const mainIp = (x: Ctx): string => x.server?.ip ?? x.L.unknown.main;
/** The server's gateway G, or the locale's words for it. */
export const serverGateway = (x: Ctx): string => x.server?.gateway ?? x.L.unknown.gateway;
/** " srv-1042 (203.0.113.10)" after "your server", or nothing. */
export const serverSuffix = (x: Ctx): string => (x.server ? ` ${x.server.id} (${x.server.ip})` : '');
/** "where" for the self-check: "On srv-1042", or the locale's "On your server". */
export const serverName = (x: Ctx, fallback: string): string => x.server?.id ?? fallback;
/** Addresses as prose: "a, b and c", or "a, b, c, d and others" when there are more than `max`. */
export const addressList = (x: Ctx, items: readonly string[], max = 4): Inline[] =>
  joinList(items.length > max ? [...items.slice(0, max), x.L.others] : [...items], x.L.and);
/** The first few ARP targets of the samples, as prose (addressList). */
export const targetList = (x: Ctx, max = 4): Inline[] => addressList(x, x.targets, max);
