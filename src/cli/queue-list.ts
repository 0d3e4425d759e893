import { printable } from '../common/printable.js';
import { QueueKeys } from '../email/queue/keys.js';
import { withQueue, type QueueOpts } from './queue.js';
import { age, deferredNotes, type JobRow, jobRow, jobsIn, type ListState, sentMarkers } from './queue-jobs.js';

/** Without --state: the jobs that are not done, the ones an operator asks about. */
const OPEN_STATES: readonly ListState[] = ['maybe-sent', 'failed', 'active', 'delayed', 'waiting'];

export interface QueueListOpts extends QueueOpts { state?: ListState; limit: number }

/**
 * `arpwarden queue list [--state S] [--limit N]`: one row per job (id, state, customer, IP, case, age, tries, and
 * the last error or why it waits), newest first per state; a table, or one JSON document with --format json.
 */
export async function queueListCommand(opts: QueueListOpts, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  return withQueue(opts, 'queue list', async (queue, config, redis) => {
    const keys = new QueueKeys(config.queue.name);
    const now = Date.now();
    const rows: JobRow[] = [];
    for (const state of opts.state === undefined ? OPEN_STATES : [opts.state]) {
      const left = opts.limit === 0 ? 0 : opts.limit - rows.length;
      if (opts.limit !== 0 && left <= 0) break;
      const jobs = await jobsIn(queue, state, left);
      const notes = state === 'delayed' ? await deferredNotes(redis, keys, jobs) : state === 'maybe-sent' ? await sentMarkers(redis, keys, jobs) : jobs.map(() => null);
      jobs.forEach((j, i) => rows.push(jobRow(j, state, now, notes[i])));
    }
    if (opts.format === 'json') {
      out.write(JSON.stringify({ queue: config.queue.name, jobs: rows }) + '\n');
      return 0;
    }
    if (rows.length === 0) {
      out.write(`no ${opts.state ?? 'waiting, delayed, active, failed or maybe-sent'} jobs on ${config.queue.name}\n`);
      return 0;
    }
    // what Redis holds (customer ids, the relay's words): printed, not obeyed
    const cells = rows.map((r) => [r.id, r.state, r.customer, r.ip, r.case, age(r.ageSeconds), r.tries, r.note].map((c) => printable(c)));
    const head = ['ID', 'STATE', 'CUSTOMER', 'IP', 'CASE', 'AGE', 'TRIES', 'LAST ERROR / NOTE'];
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    for (const line of [head, ...cells]) out.write(`${line.map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()}\n`);
    return 0;
  });
}

