/**
 * The wording every case shares, as each locale must write it (its folder's
 * common.ts): headings, why we write, the evidence in words, the self-check,
 * the FAQ's frame, the vRack remark, the signature, dates and numbers.
 */
import type { Block, Inline } from './doc.js';

export interface Common {
  /** the language's name in English: docs/emails.md titles its examples with it */
  language: string;
  /** the locale's typography, applied to prose when the email is rendered (never to code) */
  typography(s: string): string;
  and: string;
  /** the last item of a list cut short: "a, b, c and others" */
  others: string;
  greeting: string;
  /** under the greeting of an email held by a mute (maintenance) and sent once it ended: the incident began during it */
  duringMaintenance: Block;
  title: { fix: string; saw: string; check: string; why: string; faq: string; more: string };
  /** the subject's closing words, in parentheses */
  arpNoise: string;
  label: { address: string; netmask: string; broadcast: string; gateway: string; mac: string; block: string; usable: string; notUsable: string };
  num(n: number): string;
  /** the incident's period: "From 2 November 2026, 09:01:06 to 09:06:02 UTC" */
  period(from: Stamp, to: Stamp): string;
  duration(seconds: number): string;
  sawIntro(period: string, duration: string, vlan: number | null, ip: string): Inline[];
  /** one evidence counter in words */
  signal(name: string, n: number, ip: string): Inline[];
  windowNote(seconds: number): Inline[];
  /** instead of windowNote when the persistence rule opened the incident: few frames, but back in many periods */
  persistenceNote(periods: number, periodSeconds: number, horizonSeconds: number, windowSeconds: number): Inline[];
  /** before the sample lines; `one`: the evidence is a single frame ("this frame", not "the first of these frames") */
  samplesIntro(one: boolean): Inline[];
  why: Block[];
  checkIntro(where: string): Inline[];
  checkHow: Inline[];
  good: Inline[];
  bad: Inline[];
  faqLead: Block;
  faqEnd: Block;
  vrack: Block;
  reply: Block;
  signoff: string;
  signature(provider: string): string;
  /** the reference lines under the signature (never wrapped: the customer's name stays whole); ref: the email's id, as in the subject */
  reference(ref: string, incidentId: string, customerName: string, customerId: string): string[];
  distro: { debian: Inline[]; netplan: Inline[]; nm: Inline[]; windows: Inline[] };
  /** the placeholder for the prefix an address has today, in a command, when the evidence does not tell it */
  prefixWord: string;
  /** under the NetworkManager commands: the list shows the entry to remove; `guess` the prefix the snippet wrote, or null (the placeholder) */
  nmPrefixNote(ip: string, guess: number | null): Inline[];
  /** under the PowerShell commands that replace a machine's whole IPv4 configuration: run them from its console */
  windowsConsoleNote: Inline[];
  /** under the PowerShell commands of an address on the host: SkipAsSource keeps the main IP the source */
  windowsAliasNote(mainIp: string | null, ip: string): Inline[];
  /** netplan comment above the added address */
  keepMain: string;
  ifaceNote(ip: string): Inline[];
  applySafely(mainIp: string | null, ip: string): Inline[];
  /** stand-ins when the job has no server (never in practice for these cases, but never "undefined") */
  unknown: { main: string; gateway: string; server: string; vmac: string; mac: string };
  /** why the snippets make the gateway on-link (cases 2 and 3) */
  onLinkNote(ip: string): Inline[];
  /** "eth0 is an example" alone */
  ifaceOnly: Inline[];
  /** "to watch the whole block:" */
  wholeBlock: Inline[];
  /** one email for several IPs of one block or server (email.group_seconds) */
  group: {
    /** before the case's subject: "2 IPs of 198.51.100.64/29 —" */
    subject(n: number, where: GroupWhere | null): string;
    /** the opening paragraph: how many IPs, which, and that the text is written for the first */
    intro(n: number, where: GroupWhere | null, ips: Inline[], apart: string, first: string): Inline[];
  };
}

/** What the IPs of a grouped email share: a block (its CIDR) or a server (its id). */
export interface GroupWhere {
  kind: 'block' | 'server';
  name: string;
}

/** A UTC time from the job's ISO strings, read field by field (no Date parsing of microseconds). */
export interface Stamp {
  y: number;
  mo: number;
  d: number;
  time: string;
  epochSeconds: number;
}

export function stamp(iso: string): Stamp | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/.exec(iso);
  if (m === null) return null;
  const [y, mo, d, hh, mi, ss] = m.slice(1).map(Number);
  return { y, mo, d, time: `${m[4]}:${m[5]}:${m[6]}`, epochSeconds: Date.UTC(y, mo - 1, d, hh, mi, ss) / 1000 };
}
