/**
 * The customer's warning email for one EmailJob: subject, text and HTML parts
 * in the customer's locale, a Message-ID stable per incident (the job id), and
 * the headers that mark it as ours and automatic. Pure: the worker sends what
 * this returns, the outbox writes it, the README shows it.
 */
import type { Locale } from '../../common/locales.js';
import { parseMailbox } from '../../common/mailbox.js';
import { type EmailJob, type JobEvidence, jobIncidentIds, jobIps, storedJobId } from '../job.js';
import { caseEmailOf } from '../cases/registry.js';
import { LOCALE_TEXTS } from '../locales/registry.js';
import { caseText } from '../templates/case-text.js';
import { type GroupWhere, stamp } from '../templates/common.js';
import { makeCtx } from '../templates/context.js';
import type { Block, DocLocale } from '../templates/doc.js';
import { code, h, h3, joinList, lines, para, pre, toHtml, toText, ul } from '../templates/doc.js';
import { tcpdumpCommand } from '../templates/snippets.js';

export interface RenderOptions {
  from: string;
  replyTo: string;
  /** the provider's name, e.g. "Example Hosting": in the subject and the signature */
  provider: string;
  /** replaces the default signature ("The Example Hosting network team (NOC)"); may span lines */
  nocSignature?: string;
  /** the Message-ID's domain (default: the domain of `from`) */
  messageIdDomain?: string;
  /** a copy of every email to this mailbox (the ticket system), in the same SMTP transaction */
  archiveBcc?: string;
}

export interface RenderedEmail {
  to: string;
  /** the archive's copy: an envelope recipient only, never a header the customer sees */
  bcc?: string;
  from: string;
  replyTo: string;
  subject: string;
  text: string;
  html: string;
  /** `<ID@domain>`, ID the email's id (emailId): the same incident always gives the same one */
  messageId: string;
  headers: Record<string, string>;
}

/**
 * The one id of an email, the one the NOC greps for: the job id as BullMQ and the outbox store it
 * (`alias-netmask_198.51.100.7_4a453935e2b9a94b`). It is the subject's reference, X-Arpwarden-Id,
 * the Message-ID's local part, the worker's log lines and what `arpwarden queue` prints and takes.
 */
export const emailId = (jobId: string): string => storedJobId(jobId);

/** The Message-ID of a job: its email id (a dot-atom already, but for stray dots) at `domain`. */
export function messageIdFor(jobId: string, domain: string): string {
  const local = emailId(jobId).replace(/\.{2,}/g, '.').replace(/^[.-]+|[.-]+$/g, '');
  return `<${local === '' ? 'job' : local}@${domain}>`;
}

/** The Message-ID's domain when none is given: the sender's, with a dot (never a bare host name). */
const defaultDomain = (from: string): string => parseMailbox(from)?.domain ?? 'arpwarden.invalid';

/** No line break may reach a header from the job. */
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ').trim();

/** a job's persistence note, if its incident was opened by the persistence rule and the note is whole (jobs cross Redis) */
const persistent = (e: JobEvidence): e is JobEvidence & { persistence: NonNullable<JobEvidence['persistence']> } =>
  typeof e.persistence === 'object' && e.persistence !== null && [e.persistence.periods, e.persistence.periodSeconds, e.persistence.horizonSeconds].every((n) => Number.isFinite(n) && n > 0);

const isLocale = (l: string): l is Locale => Object.hasOwn(LOCALE_TEXTS, l);

/** `mutedSince`: the job met a mute and waited for its end (the worker's note): the email says the incident began during the maintenance. */
export function renderEmail(job: EmailJob, opts: RenderOptions, note: { mutedSince?: string } = {}): RenderedEmail {
  if (caseEmailOf(job.caseId) === undefined) throw new Error(`no email template for case ${String(job.caseId)} (job ${job.jobId})`);
  const locale: Locale = isLocale(job.customer.locale) ? job.customer.locale : 'en';
  const T = LOCALE_TEXTS[locale];
  const L = T.common;
  const x = makeCtx({ ...job, customer: { ...job.customer, locale } }, T);
  const c = caseText(job.caseId, x);
  const ev = job.evidence;

  const others = job.group ?? [];
  const ips = jobIps(job);
  const where: GroupWhere | null = job.remediation.block !== undefined ? { kind: 'block', name: job.remediation.block.cidr }
    : job.server !== null ? { kind: 'server', name: job.server.id } : null;
  /** what we saw of one IP: when, on which VLAN, the counts, the first frames */
  const sawOf = (e: JobEvidence, vlan: number | null, ip: string, windowNote: boolean): Block[] => {
    const opened = stamp(e.openedAt);
    const first = e.firstFrameAt === undefined ? null : stamp(e.firstFrameAt);
    // from the first frame shown, when the incident opened after it (an unanswered request counts at its timeout)
    const a = first !== null && opened !== null && first.epochSeconds < opened.epochSeconds ? first : opened;
    const b = stamp(e.lastSeen);
    const span = a !== null && b !== null ? L.period(a, b) : `${e.openedAt} – ${e.lastSeen}`;
    const lasted = L.duration(a !== null && b !== null ? Math.max(0, b.epochSeconds - a.epochSeconds) : 0);
    const counts = Object.entries(e.counts).filter(([, n]) => n > 0);
    return [
      ...(others.length > 0 ? [h3(ip)] : []),
      para(L.sawIntro(span, lasted, vlan, ip)),
      ...(counts.length > 0 ? [ul(...counts.map(([name, n]) => L.signal(name, n, ip)))] : []),
      ...(persistent(e) ? [para(L.persistenceNote(e.persistence.periods, e.persistence.periodSeconds, e.persistence.horizonSeconds, e.windowSeconds))]
        : windowNote ? [para(L.windowNote(e.windowSeconds))] : []),
      // one frame in all (every count 1): "this frame"
      ...(e.samples.length > 0 ? [para(L.samplesIntro(e.samples.length === 1 && counts.every(([, n]) => n <= 1))), pre(e.samples)] : []),
    ];
  };
  const openings = [ev, ...others.map((g) => g.evidence)].map((e) => stamp(e.openedAt)?.epochSeconds ?? 0);
  const apart = L.duration(Math.max(...openings) - Math.min(...openings));

  const id = emailId(job.jobId);
  const signature = (opts.nocSignature ?? L.signature(opts.provider)).split(/\r?\n/);
  const blocks: Block[] = [
    para([L.greeting]),
    ...(note.mutedSince === undefined ? [] : [L.duringMaintenance]),
    ...(others.length > 0 ? [para(L.group.intro(ips.length, where, joinList(ips.map(code), L.and), apart, job.ip))] : []),
    ...c.summary,

    h(L.title.fix),
    ...c.fix,

    h(L.title.saw),
    ...sawOf(ev, job.vlan, job.ip, true),
    ...c.saw,
    ...others.flatMap((g) => sawOf(g.evidence, g.vlan, g.ip, false)),

    h(L.title.check),
    para(L.checkIntro(c.check.where)),
    pre(ips.map(tcpdumpCommand)),
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
    lines(L.reference(id, jobIncidentIds(job).join(', '), job.customer.name, job.customer.id)),
  ];

  const doc: DocLocale = { lang: locale, typography: L.typography };
  const lead = others.length > 0 ? `${L.group.subject(ips.length, where)} ` : '';
  const subject = oneLine(`[${opts.provider}] ${lead}${c.subject} (${L.arpNoise}) [${id}]`);
  return {
    to: oneLine(job.customer.email),
    ...(opts.archiveBcc === undefined ? {} : { bcc: oneLine(opts.archiveBcc) }),
    from: opts.from,
    replyTo: opts.replyTo,
    subject,
    text: toText(blocks, doc),
    html: toHtml(blocks, doc, subject),
    messageId: messageIdFor(job.jobId, opts.messageIdDomain ?? defaultDomain(opts.from)),
    headers: {
      'X-Arpwarden-Id': oneLine(id),
      'X-Arpwarden-Case': oneLine(job.caseId),
      'X-Arpwarden-Incident': oneLine(jobIncidentIds(job).join(', ')),
      'Auto-Submitted': 'auto-generated',
      // no out-of-office or auto-replies back to the NOC (Exchange honours this one)
      'X-Auto-Response-Suppress': 'OOF, AutoReply',
    },
  };
}
