import { type EmailJob, storedJobId } from '../email/job.js';
import type { EmailJobResult } from '../email/queue/email-queue.js';
import { readEmailJob } from '../email/read-job.js';
import type { RenderedMail, RenderFn } from '../email/render/mail.js';
import { type Logger, silentLogger } from '../telemetry/logger.js';
import { PermanentEmailError } from './permanent-email-error.js';
import type { SentLedger } from './sent-ledger.js';

export interface ProcessEmailDeps {
  render: RenderFn;
  /** hands the email to the relay; resolves once the relay accepted it (SMTP 250 after DATA) */
  send: (mail: RenderedMail) => Promise<{ response: string }>;
  ledger: SentLedger;
  /** why the job's customer or IP is muted now, or null */
  mutedReason: (job: EmailJob) => Promise<string | null>;
  now?: () => Date;
  log?: Logger;
}

/** Tries of the "sent" marker write after a successful send, and the pause between them, ms. */
const MARK_TRIES = 5;
const MARK_PAUSE_MS = 200;

/**
 * The worker's job handler, a plain function: check the "sent" marker, check the mutes, render,
 * send, write the marker. A throw is retried by the queue (SMTP 4xx, network errors, Redis errors);
 * a PermanentEmailError is not (SMTP 5xx, a job that cannot be rendered).
 *
 * Guarantee: once the relay accepted an email and the marker is written, the job is never sent
 * again, whatever happens next (the worker dies before BullMQ records completion, the job is
 * retried, re-added by a replay within keep_days): the marker is checked first. The one window
 * left is between the relay's 250 and the marker write (one Redis round trip): a worker killed
 * exactly there sends the email again when the job is retried (at least once, never lost). A worker
 * killed before the relay's 250 sends nothing the relay kept: the relay took responsibility only
 * with its reply, so the retry is the first delivery.
 */
export async function processEmailJob(data: unknown, deps: ProcessEmailDeps): Promise<EmailJobResult> {
  const job = checkJob(data);
  const log = deps.log ?? silentLogger;
  const id = storedJobId(job.jobId);
  const previous = await deps.ledger.sent(job.jobId);
  if (previous !== null) {
    log.info(`${id}: already sent (${previous.messageId} at ${previous.sentAt}), not sent again`);
    return { status: 'already-sent', ...previous };
  }
  const muted = await deps.mutedReason(job);
  if (muted !== null) {
    log.info(`${id}: not sent: ${muted}`);
    return { status: 'muted', reason: muted };
  }
  let mail: RenderedMail;
  try {
    mail = deps.render(job);
  } catch (e) {
    throw new PermanentEmailError(`cannot render: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  let response: string;
  try {
    ({ response } = await deps.send(mail));
  } catch (e) {
    const code = (e as { responseCode?: unknown }).responseCode;
    const reason = `to ${mail.to} via SMTP: ${e instanceof Error ? e.message : String(e)}`;
    if (typeof code === 'number' && code >= 500) throw new PermanentEmailError(reason, { cause: e });
    throw new Error(reason, { cause: e });
  }
  const record = { messageId: mail.messageId, sentAt: (deps.now?.() ?? new Date()).toISOString() };
  await markSent(deps.ledger, job.jobId, record);
  log.info(`${id}: sent to ${mail.to} ${mail.messageId} (${response})`);
  return { status: 'sent', response, ...record };
}

async function markSent(ledger: SentLedger, jobId: string, record: { messageId: string; sentAt: string }): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await ledger.markSent(jobId, record);
      return;
    } catch (e) {
      if (i === MARK_TRIES) {
        throw new Error(`sent (${record.messageId}) but the sent marker could not be written: ${e instanceof Error ? e.message : String(e)}; a retry will send it again`, { cause: e });
      }
      await new Promise((r) => setTimeout(r, MARK_PAUSE_MS));
    }
  }
}

/** The job data as it came back from Redis, or a permanent failure. */
function checkJob(data: unknown): EmailJob {
  const job = readEmailJob(data);
  if (job === null) throw new PermanentEmailError(`not an email job (version 1): ${JSON.stringify(data).slice(0, 200)}`);
  return job;
}
