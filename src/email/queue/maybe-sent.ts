/**
 * A maybe-sent job, as the queue holds it: a failed job whose reason begins `maybe-sent:` (the worker writes it,
 * src/worker/maybe-sent-error.ts). Here, beside the queue, so that the capture daemon's queue counts and the
 * `queue` commands tell those jobs apart without importing the worker.
 */

/** How a maybe-sent job's failure reason begins: `queue status`, `queue list` and `queue retry` tell those jobs by it. */
export const MAYBE_SENT = 'maybe-sent';

export const isMaybeSentReason = (reason: string | undefined): boolean => reason?.startsWith(`${MAYBE_SENT}:`) === true;

/** What counting reads: BullMQ's failed set, a page at a time (a Queue has it). */
export interface FailedReader {
  getFailed(start: number, end: number): Promise<ReadonlyArray<{ failedReason?: string }>>;
}

const PAGE = 500;

/** How many of the failed jobs are maybe-sent: the failed set read whole, by pages (it stays small, or the NOC is told). */
export async function countMaybeSent(reader: FailedReader): Promise<number> {
  let n = 0;
  for (let start = 0; ; start += PAGE) {
    const page = await reader.getFailed(start, start + PAGE - 1);
    for (const j of page) if (isMaybeSentReason(j.failedReason)) n++;
    if (page.length < PAGE) return n;
  }
}
