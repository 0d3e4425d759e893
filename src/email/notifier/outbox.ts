import path from 'node:path';
import nodemailer from 'nodemailer';
import { isOurFile, safeWriteFile } from '../../common/safe-write.js';
import { type EmailJob, storedJobId } from '../job.js';
import { mailMessage, type RenderFn } from '../render/mail.js';

export type OutboxOutcome = 'written' | 'exists';

/**
 * The embedded mode's "SMTP": each email as a complete MIME message (nodemailer builds it, as it
 * would for the relay) in DIR/<job id>.eml. One job id, one file: a file already there is left as
 * it is, and the file appears whole or not at all (safeWriteFile: an unguessable temporary name,
 * never through a symlink, then linked into place). The files hold customers' names, addresses
 * and traffic: mode 0600, or 0640 in a setgid directory (prepareSafeDir's caller says which).
 */
export class Outbox {
  private readonly transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(readonly dir: string, private readonly render: RenderFn, private readonly fileMode = 0o600) {}

  fileFor(job: Pick<EmailJob, 'jobId'>): string {
    return path.join(this.dir, `${storedJobId(job.jobId)}.eml`);
  }

  async write(job: EmailJob): Promise<OutboxOutcome> {
    const file = this.fileFor(job);
    // lstat, not access: a planted symlink or another user's file is not "already there": refused
    if (await isOurFile(file)) return 'exists';
    const info = await this.transport.sendMail(mailMessage(this.render(job)));
    return safeWriteFile(file, info.message as Buffer, { mode: this.fileMode, keepExisting: true });
  }
}
