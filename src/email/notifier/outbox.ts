import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type EmailJob, storedJobId } from '../job.js';
import { mailMessage, type RenderFn } from '../render/mail.js';

export type OutboxOutcome = 'written' | 'exists';

/**
 * The embedded mode's "SMTP": each email as a complete MIME message (nodemailer builds it, as it
 * would for the relay) in DIR/<job id>.eml. One job id, one file: a file already there is left as
 * it is, and the file appears whole or not at all (written aside, then hard-linked into place).
 */
export class Outbox {
  private readonly transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(readonly dir: string, private readonly render: RenderFn) {}

  fileFor(job: Pick<EmailJob, 'jobId'>): string {
    return path.join(this.dir, `${storedJobId(job.jobId)}.eml`);
  }

  async write(job: EmailJob): Promise<OutboxOutcome> {
    const file = this.fileFor(job);
    if (await exists(file)) return 'exists';
    const info = await this.transport.sendMail(mailMessage(this.render(job)));
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, info.message as Buffer);
    try {
      await fs.link(tmp, file);
      return 'written';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
      throw e;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
