import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { SmtpConfig } from '../config/schema.js';
import { mailMessage, type RenderedMail } from '../email/render/mail.js';

export interface SmtpSender {
  send(mail: RenderedMail): Promise<{ response: string }>;
  /** connects to the relay and says hello (and logs in), sending nothing: resolves when it answers */
  verify?(): Promise<void>;
  close(): void;
}

/** Why the relay could not be reached or refused us, in a few words. */
export function smtpReason(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  const msg = String(err?.message ?? e).split('\n')[0];
  // nodemailer wraps socket errors (code ESOCKET, ECONNECTION): the system's code is in the message
  if (/ECONNREFUSED/.test(msg)) return 'connection refused';
  if (/ETIMEDOUT|timed? ?out/i.test(msg) || err?.code === 'ETIMEDOUT') return 'connection timed out';
  if (/ENOTFOUND|EAI_AGAIN/.test(msg) || err?.code === 'EDNS') return 'host not found';
  if (/EHOSTUNREACH|ENETUNREACH/.test(msg)) return 'host unreachable';
  if (err?.code === 'EAUTH') return `authentication failed (${msg})`;
  return msg;
}

/**
 * Whether a failed send may still have delivered: the connection was up and then timed out or was lost with no
 * answer from the relay. nodemailer does not say in which phase that happened, so this errs towards "maybe": a relay
 * that queues the message before it replies (Postfix, Exim; RFC 1047) may hold it, and sending again would be a second
 * copy. A relay's own answer (a reply code), a connection that never came up, or a failure before any byte left
 * (the address, the message) is a known "not sent".
 */
export function outcomeUnknown(e: unknown): boolean {
  const err = e as { code?: unknown; responseCode?: unknown; originalCode?: unknown; timeoutType?: unknown; message?: unknown };
  if (typeof err?.responseCode === 'number') return false;
  if (err?.code === 'ETIMEDOUT') return err.timeoutType === 'SOCKET_TIMEOUT';
  if (err?.code === 'ESOCKET' || err?.code === 'ECONNECTION') {
    const msg = String(err.message ?? '');
    // refused, unreachable, not found: nothing was ever said to a relay
    if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN/.test(`${String(err.originalCode ?? '')} ${msg}`)) return false;
    return /closed|reset|ECONNRESET|EPIPE|socket hang up/i.test(msg) || err.originalCode === 'ECONNRESET' || err.originalCode === 'EPIPE';
  }
  return false;
}

/** nodemailer's SMTP transport from the `smtp:` configuration (pooled by default). */
export function smtpSender(cfg: SmtpConfig): SmtpSender {
  const ms = cfg.timeout_seconds * 1000;
  const common: SMTPTransport.Options = {
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    requireTLS: cfg.starttls === 'always',
    ignoreTLS: cfg.starttls === 'never',
    auth: cfg.user === undefined ? undefined : { user: cfg.user, pass: cfg.pass },
    connectionTimeout: ms,
    greetingTimeout: ms,
    socketTimeout: ms,
  };
  const transport = cfg.pool
    ? nodemailer.createTransport({ ...common, pool: true, maxConnections: cfg.max_connections } satisfies SMTPPool.Options)
    : nodemailer.createTransport(common);
  return {
    async send(mail) {
      const info = await transport.sendMail(mailMessage(mail));
      return { response: info.response };
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}
