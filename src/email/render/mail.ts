import type Mail from 'nodemailer/lib/mailer/index.js';
import type { EmailJob } from '../job.js';
import type { RenderedEmail } from './render.js';

/** A rendered warning email, as `renderEmail` (render.ts) returns it. */
export type RenderedMail = RenderedEmail;

/** What the worker knows of a job beyond its data: it met a mute (maintenance) and waited for its end, since then (ISO). */
export interface RenderNote { mutedSince?: string }

/** Renders a job into an email (the templates, with the sender details bound). */
export type RenderFn = (job: EmailJob, note?: RenderNote) => RenderedMail;

/** The nodemailer message of a rendered email. */
export function mailMessage(m: RenderedMail, date: Date = new Date()): Mail.Options {
  return {
    to: m.to, from: m.from, replyTo: m.replyTo, subject: m.subject, text: m.text, html: m.html,
    messageId: m.messageId, headers: m.headers, date,
    // one message, one Message-ID, for the customer and the archive: nodemailer puts Bcc in the envelope only
    ...(m.bcc === undefined ? {} : { bcc: m.bcc }),
  };
}
