/**
 * The customer's warning email for one EmailJob: subject, text and HTML parts
 * in the customer's locale, a Message-ID stable per incident (the job id), and
 * the headers that mark it as ours and automatic. Pure: the worker sends what
 * this returns, the outbox writes it, the README shows it.
 */
import type { Locale } from '../../common/locales.js';
import type { EmailJob } from '../job.js';
import { caseEmailOf } from '../cases/registry.js';
import { LOCALE_TEXTS } from '../locales/registry.js';
import { caseText } from '../templates/case-text.js';
import { stamp } from '../templates/common.js';
import { makeCtx } from '../templates/context.js';
import type { Block, DocLocale } from '../templates/doc.js';
import { h, lines, para, pre, toHtml, toText, ul } from '../templates/doc.js';
import { tcpdumpCommand } from '../templates/snippets.js';

export interface RenderOptions {
  from: string;
  replyTo: string;
  /** the provider's name, e.g. "Example Hosting": in the subject and the signature */
  provider: string;
  /** replaces the default signature ("The Example Hosting network team (NOC)"); may span lines */
  nocSignature?: string;
}

export interface RenderedEmail {
  to: string;
  from: string;
  replyTo: string;
  subject: string;
  text: string;
  html: string;
  /** `<job-id@arpwarden>`: the same incident always gives the same id */
  messageId: string;
  headers: Record<string, string>;
}

/** The Message-ID of a job: its id reduced to a dot-atom (letters, digits, `.`, `-`, `_`). */
export function messageIdFor(jobId: string): string {
  const local = jobId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[.-]+|[.-]+$/g, '');
  return `<${local === '' ? 'job' : local}@arpwarden>`;
}

/** No line break may reach a header from the job. */
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ').trim();

const isLocale = (l: string): l is Locale => Object.hasOwn(LOCALE_TEXTS, l);

export function renderEmail(job: EmailJob, opts: RenderOptions): RenderedEmail {
  if (caseEmailOf(job.caseId) === undefined) throw new Error(`no email template for case ${String(job.caseId)} (job ${job.jobId})`);
  const locale: Locale = isLocale(job.customer.locale) ? job.customer.locale : 'en';
  const T = LOCALE_TEXTS[locale];
  const L = T.common;
  const x = makeCtx({ ...job, customer: { ...job.customer, locale } }, T);
  const c = caseText(job.caseId, x);
  const ev = job.evidence;

  const from = stamp(ev.openedAt);
  const to = stamp(ev.lastSeen);
  const period = from !== null && to !== null ? L.period(from, to) : `${ev.openedAt} – ${ev.lastSeen}`;
  const duration = L.duration(from !== null && to !== null ? Math.max(0, to.epochSeconds - from.epochSeconds) : 0);
  const counts = Object.entries(ev.counts).filter(([, n]) => n > 0);

  const signature = (opts.nocSignature ?? L.signature(opts.provider)).split(/\r?\n/);
  const blocks: Block[] = [
    para([L.greeting]),
    ...c.summary,

    h(L.title.fix),
    ...c.fix,

    h(L.title.saw),
    para(L.sawIntro(period, duration, job.vlan, job.ip)),
    ...(counts.length > 0 ? [ul(...counts.map(([name, n]) => L.signal(name, n, job.ip)))] : []),
    para(L.windowNote(ev.windowSeconds)),
    ...(ev.samples.length > 0 ? [para(L.samplesIntro), pre(ev.samples)] : []),
    ...c.saw,

    h(L.title.check),
    para(L.checkIntro(c.check.where)),
    pre([tcpdumpCommand(job.ip)]),
    para(L.checkHow),
    ...(c.check.good.length > 0 ? [para(L.good), ul(...c.check.good)] : []),
    ...(c.check.bad.length > 0 ? [para(L.bad), ul(...c.check.bad)] : []),
    ...(c.check.extra ?? []),

    h(L.title.why),
    ...L.why,

    h(L.title.faq),
    L.faqLead,
    ...c.works,
    L.faqEnd,

    h(L.title.more),
    L.vrack,
    L.reply,

    lines([L.signoff, ...signature]),
    lines(L.reference(job.incidentId, job.customer.name, job.customer.id)),
  ];

  const doc: DocLocale = { lang: locale, typography: L.typography };
  const subject = oneLine(`[${opts.provider}] ${c.subject} (${L.arpNoise})`);
  return {
    to: oneLine(job.customer.email),
    from: opts.from,
    replyTo: opts.replyTo,
    subject,
    text: toText(blocks, doc),
    html: toHtml(blocks, doc, subject),
    messageId: messageIdFor(job.jobId),
    headers: {
      'X-Arpwarden-Case': oneLine(job.caseId),
      'X-Arpwarden-Incident': oneLine(job.incidentId),
      'Auto-Submitted': 'auto-generated',
      // no out-of-office or auto-replies back to the NOC (Exchange honours this one)
      'X-Auto-Response-Suppress': 'OOF, AutoReply',
    },
  };
}
