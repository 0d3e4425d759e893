import { parseMailbox } from '../common/mailbox.js';
import { printable } from '../common/printable.js';
import { UserError } from '../common/user-error.js';
import { loadConfig } from '../config/load.js';
import { requireOwnIdentity } from '../email/identity.js';
import { testEmail } from '../email/test-email.js';
import { smtpReason, smtpSender } from '../worker/smtp-transport.js';

/**
 * `arpwarden email test --to ADDRESS`: one short email through the configured relay, in the identity
 * the worker would use (refused, as the worker refuses it, while it is the built-in example). Prints
 * the relay's answer and the Message-ID; a relay that refuses, cannot be reached or rejects the login
 * ends in one line (exit 2).
 */
export async function emailTestCommand(opts: { to: string; config?: string }, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const config = loadConfig(opts.config);
  if (parseMailbox(opts.to) === null) throw new UserError(`email test: --to ${printable(opts.to)} is not a mailbox (expected name@domain.example)`);
  const id = requireOwnIdentity(config.email, opts.config, 'email test');
  const s = config.smtp;
  const relay = `${s.host}:${s.port}`;
  const mail = testEmail(opts.to, id, relay);
  // one message: no pool to keep open
  const sender = smtpSender({ ...s, pool: false });
  try {
    const { response } = await sender.send(mail);
    out.write(`email test: relay ${relay} accepted the email to ${printable(opts.to)}: ${printable(response)}\n`);
    out.write(`email test: Message-ID ${mail.messageId}\n`);
    return 0;
  } catch (e) {
    throw new UserError(`email test: relay ${relay}: ${smtpReason(e)}`);
  } finally {
    sender.close();
  }
}
