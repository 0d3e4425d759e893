import { randomUUID } from 'node:crypto';
import { type EmailJob, storedJobId } from '../email/job.js';
import type { EmailJobResult } from '../email/queue/email-queue.js';
import { readEmailJob } from '../email/read-job.js';
import type { RenderedMail, RenderFn } from '../email/render/mail.js';
import { type Logger, silentLogger } from '../telemetry/logger.js';
import { MaybeSentError } from './maybe-sent-error.js';
import type { MuteDeferral } from './mute-deferral.js';
import { PermanentEmailError } from './permanent-email-error.js';
import type { SendClaims } from './send-claim.js';
import type { SentLedger } from './sent-ledger.js';

export interface ProcessEmailDeps {
  render: RenderFn;
  /** hands the email to the relay; resolves once the relay accepted it (SMTP 250 after DATA) */
  send: (mail: RenderedMail) => Promise<{ response: string }>;
  /** whether a failed send may have delivered all the same (smtp-transport's outcomeUnknown) */
  outcomeUnknown: (e: unknown) => boolean;
  ledger: SentLedger;
  claims: SendClaims;
  /** how often the claim is extended while a send runs, ms */
  holdEveryMs: number;
  mutes: MuteDeferral;
  now?: () => Date;
  log?: Logger;
}

/** What the job's attempt came to: a result stored on the completed job, or a wait (the worker delays the job). */
export type ProcessOutcome = EmailJobResult | { status: 'wait'; untilMs: number; why: 'deferred' | 'busy'; reason: string };

/** Tries of the "sent" marker write after a successful send, and the pause between them, ms. */
const MARK_TRIES = 5;
const MARK_PAUSE_MS = 200;
/** A mute with no end (until unmuted) is looked at again this often, ms: an unmute lets the job go within it. */
export const MUTE_RECHECK_MS = 3600e3;

/**
 * The worker's job handler, a plain function: check the "sent" marker, meet the mutes (defer to their end),
 * render, take the "sending" claim, send, write the marker. A throw is retried by the queue (SMTP 4xx, network
 * errors, Redis errors); a PermanentEmailError is not (SMTP 5xx, a job that cannot be rendered, a maybe-sent).
 *
 * At most once, as far as our side can know it: the claim is taken in Redis before the relay is contacted,
 * held while the send runs, and released with the "sent" marker in one script, so a second worker (a stalled
 * job handed over while this one still sends) waits instead of sending. A send that ends without a known
 * answer after the connection was up (a timeout, a lost connection, a worker killed holding the claim) leaves
 * its attempt record: that job fails as maybe-sent, and only `queue resend` sends it again.
 */
export async function processEmailJob(data: unknown, deps: ProcessEmailDeps): Promise<ProcessOutcome> {
  const job = checkJob(data);
  const log = deps.log ?? silentLogger;
  const now = (): Date => deps.now?.() ?? new Date();
  const id = storedJobId(job.jobId);
  const previous = await deps.ledger.sent(job.jobId);
  if (previous !== null) {
    log.info(`${id}: already sent (${previous.messageId} at ${previous.sentAt}), not sent again`);
    return { status: 'already-sent', ...previous };
  }
  const muted = await meetMute(job, deps, now());
  if (muted !== null) return muted;
  const deferredNote = await deps.mutes.deferred(job);
  let mail: RenderedMail;
  try {
    mail = deps.render(job, deferredNote === null ? undefined : { mutedSince: deferredNote.since });
  } catch (e) {
    throw new PermanentEmailError(`cannot render: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const token = randomUUID();
  const claim = await deps.claims.claim(job.jobId, token);
  if (claim.kind === 'sent') {
    log.info(`${id}: already sent (${claim.record.messageId} at ${claim.record.sentAt}), not sent again`);
    return { status: 'already-sent', ...claim.record };
  }
  if (claim.kind === 'busy') {
    return { status: 'wait', why: 'busy', untilMs: now().getTime() + claim.retryInMs, reason: 'another worker holds the sending claim (it may be sending it now)' };
  }
  if (claim.kind === 'maybe-sent') throw new MaybeSentError(`${claim.why} (since ${claim.since})`);

  let response: string;
  const holding = setInterval(() => {
    deps.claims.hold(job.jobId, token).then(
      (ours) => { if (!ours) log.warn(`${id}: the sending claim expired while the send runs (Redis away?); another worker will find it maybe sent`); },
      () => {},
    );
  }, deps.holdEveryMs);
  try {
    ({ response } = await deps.send(mail));
  } catch (e) {
    const reason = `to ${mail.to} via SMTP: ${e instanceof Error ? e.message : String(e)}`;
    if (deps.outcomeUnknown(e)) {
      // if even this write fails, the claim expires and leaves the attempt record: the same answer, later
      await withTries(() => deps.claims.maybeSent(job.jobId, token, `no answer from the relay after the send began (${reason})`)).catch(() => {});
      throw new MaybeSentError(`no answer from the relay after the send began (${reason})`, { cause: e });
    }
    // the relay said no, or was never reached: nothing went out, a retry is the first delivery
    // if this write never goes, the attempt record stays and the job ends maybe-sent: a false alarm, never a duplicate
    await withTries(() => deps.claims.unsent(job.jobId, token));
    const code = (e as { responseCode?: unknown }).responseCode;
    if (typeof code === 'number' && code >= 500) throw new PermanentEmailError(reason, { cause: e });
    throw new Error(reason, { cause: e });
  } finally {
    clearInterval(holding);
  }
  const record = { messageId: mail.messageId, sentAt: now().toISOString() };
  await markSent(deps.claims, job.jobId, token, record);
  log.info(`${id}: sent to ${mail.to} ${mail.messageId} (${response})${deferredNote === null ? '' : ` after a mute (${deferredNote.reason} since ${deferredNote.since})`}`);
  return { status: 'sent', response, ...record };
}

/** The mute the job meets: completed (the configuration's, or its incident over meanwhile), delayed to its end, or null. */
async function meetMute(job: EmailJob, deps: ProcessEmailDeps, now: Date): Promise<ProcessOutcome | null> {
  const log = deps.log ?? silentLogger;
  const id = storedJobId(job.jobId);
  const mute = await deps.mutes.mute(job);
  if (mute === null) {
    const note = await deps.mutes.deferred(job);
    if (note === null || !(await deps.mutes.resolved(job))) return null;
    return mutedResolved(job, deps, note.reason);
  }
  if (mute.permanent) {
    log.info(`${id}: not sent: ${mute.reason}`);
    return { status: 'muted', reason: mute.reason };
  }
  if (await deps.mutes.resolved(job)) return mutedResolved(job, deps, mute.reason);
  await deps.mutes.defer(job, { reason: mute.reason, since: now.toISOString() });
  const untilMs = Math.min(mute.endsAtMs ?? Infinity, now.getTime() + MUTE_RECHECK_MS);
  log.info(`${id}: deferred: ${mute.reason}; looked at again at ${new Date(untilMs).toISOString()}`);
  return { status: 'wait', why: 'deferred', untilMs, reason: mute.reason };
}

async function mutedResolved(job: EmailJob, deps: ProcessEmailDeps, reason: string): Promise<ProcessOutcome> {
  await deps.mutes.releaseCooldown(job);
  (deps.log ?? silentLogger).info(`${storedJobId(job.jobId)}: not sent: ${reason}, and its incident ${job.incidentId} resolved meanwhile (muted-resolved)`);
  return { status: 'muted-resolved', reason };
}

async function markSent(claims: SendClaims, jobId: string, token: string, record: { messageId: string; sentAt: string }): Promise<void> {
  try {
    await withTries(() => claims.sent(jobId, token, record));
  } catch (e) {
    // the attempt record stays: the next attempt finds it maybe sent, and sends nothing
    throw new MaybeSentError(`sent (${record.messageId}) but the sent marker could not be written: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** A Redis write after the relay answered, tried MARK_TRIES times: what it records must not be lost to one failed round trip. */
async function withTries(write: () => Promise<void>): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await write();
      return;
    } catch (e) {
      if (i === MARK_TRIES) throw e;
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
