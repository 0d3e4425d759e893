/**
 * Who the warning emails come from: the provider's name and mailboxes from
 * `email:`, or the built-in example identity when the configuration names
 * none. A preview (the outbox) may use the example; the worker may not.
 */
import { parseMailbox } from '../common/mailbox.js';
import { UserError } from '../common/user-error.js';
import { EXAMPLE_IDENTITY, type EmailConfig } from '../config/schema.js';

export interface SenderIdentity {
  from: string;
  replyTo: string;
  provider: string;
  /** the Message-ID's domain: email.message_id_domain, else email.from's */
  messageIdDomain: string;
  /** still the built-in example (Example Hosting, noc@example.net) */
  example: boolean;
}

export function senderIdentity(email: EmailConfig): SenderIdentity {
  const from = parseMailbox(email.from);
  // the schema validated email.from; a config built in code without it still gets a domain with a dot
  const domain = email.message_id_domain ?? from?.domain ?? 'arpwarden.invalid';
  return {
    from: email.from,
    replyTo: email.reply_to ?? email.from,
    provider: email.provider,
    messageIdDomain: domain,
    example: email.from === EXAMPLE_IDENTITY.from || email.provider === EXAMPLE_IDENTITY.provider,
  };
}

/** The outbox's one line when the previews carry the example identity. */
export const exampleIdentityNotice = (id: SenderIdentity): string =>
  `outbox: the emails are signed with the built-in example identity (${id.provider}, ${id.from}); set email.from and email.provider before a worker sends any`;

/** The worker never sends under the example identity: one line naming what to set. */
export function requireOwnIdentity(email: EmailConfig, configFile: string | undefined, command = 'worker'): SenderIdentity {
  const id = senderIdentity(email);
  if (!id.example) return id;
  const unset = [email.from === EXAMPLE_IDENTITY.from ? 'email.from' : null, email.provider === EXAMPLE_IDENTITY.provider ? 'email.provider' : null].filter((k) => k !== null);
  throw new UserError(`${command}: ${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} still the built-in example (${id.provider}, ${id.from}): set ${unset.join(' and ')} in ${configFile ?? 'the configuration (--config FILE)'} before sending to customers`);
}
