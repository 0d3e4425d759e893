import type { EmailConfig } from '../../config/schema.js';
import { senderIdentity } from '../identity.js';
import type { RenderFn } from './mail.js';
import { renderEmail } from './render.js';

/** The templates with the sender details of the `email:` configuration bound. */
export function configuredRender(email: EmailConfig): RenderFn {
  const id = senderIdentity(email);
  const opts = { from: id.from, replyTo: id.replyTo, provider: id.provider, nocSignature: email.signature, messageIdDomain: id.messageIdDomain, archiveBcc: email.archive_bcc };
  return (job, note) => renderEmail(job, opts, note);
}
