import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { SmtpConfig } from '../config/schema.js';
import { mailMessage, type RenderedMail } from '../email/render/mail.js';

export interface SmtpSender {
  send(mail: RenderedMail): Promise<{ response: string }>;
  close(): void;
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
    close() {
      transport.close();
    },
  };
}
