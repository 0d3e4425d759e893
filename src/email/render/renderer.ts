import type { EmailConfig } from '../../config/schema.js';
import type { RenderFn } from './mail.js';
import { renderEmail } from './render.js';

/** The templates with the sender details of the `email:` configuration bound. */
export function configuredRender(email: EmailConfig): RenderFn {
  const opts = { from: email.from, replyTo: email.reply_to, provider: email.provider, nocSignature: email.signature };
  return (job) => renderEmail(job, opts);
}
