import { randomBytes } from 'node:crypto';
import type { SenderIdentity } from './identity.js';
import type { RenderedMail } from './render/mail.js';
import { messageIdFor } from './render/render.js';

/**
 * `arpwarden email test`: a short email in the provider's identity, as the worker's are (From,
 * Reply-To, the Message-ID's domain, the automatic headers), so that the relay judges it as it will
 * judge the warnings. Its id is `test_` and a random part: a test is never taken for a warning.
 */
export function testEmail(to: string, id: SenderIdentity, relay: string, now: Date = new Date()): RenderedMail {
  const testId = `test_${now.toISOString().slice(0, 10).replaceAll('-', '')}_${randomBytes(6).toString('hex')}`;
  const subject = `[${id.provider}] arpwarden: test email through ${relay} [${testId}]`;
  const text = [
    'This is a test email sent by `arpwarden email test`.',
    '',
    `It went through the relay ${relay}, from ${id.from}, at ${now.toISOString()}:`,
    'the warning emails to customers leave the same way, under the same name.',
    '',
    'Nothing to do: it needs no answer.',
  ].join('\n');
  return {
    to, from: id.from, replyTo: id.replyTo, subject, text,
    html: `<!doctype html><html><body><p>${text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!).split('\n\n').join('</p><p>').replaceAll('\n', '<br>')}</p></body></html>`,
    messageId: messageIdFor(testId, id.messageIdDomain),
    headers: { 'X-Arpwarden-Id': testId, 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'OOF, AutoReply' },
  };
}
