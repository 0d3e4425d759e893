import { ipArgument, ipToString } from '../common/addr.js';
import { printable } from '../common/printable.js';
import type { Config } from '../config/schema.js';
import { type EmailJob, jobIncidentIds, storedJobId } from '../email/job.js';
import { type CooldownEntry, CooldownStore, type CooldownTarget } from '../email/policy/cooldown-store.js';
import { QueueKeys } from '../email/queue/keys.js';
import { type QueueOpts, withQueue } from './queue.js';

type CooldownOpts = QueueOpts;

/** Runs `fn` on the cooldowns of the configuration's queue; a Redis failure ends as one line (withQueue). */
function withCooldowns<T>(opts: CooldownOpts, what: string, fn: (s: CooldownStore, config: Config, incidents: (jobId: string) => Promise<string[]>) => Promise<T>): Promise<T> {
  return withQueue(opts, what, (queue, config, redis) => {
    // the incidents a cooldown came from are on its job, while the queue keeps it (queue.keep_days)
    const incidents = async (jobId: string): Promise<string[]> => {
      const job = await queue.getJob(storedJobId(jobId));
      const data = job?.data as EmailJob | undefined;
      return data === undefined ? [] : jobIncidentIds(data);
    };
    return fn(new CooldownStore(redis, new QueueKeys(config.queue.name)), config, incidents);
  });
}

const until = (e: CooldownEntry, now: number): string | null => (e.expiresInSeconds === null ? null : new Date(now + e.expiresInSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** `arpwarden cooldown list [--format json]`: every cooldown in force, until when, and the email (job, incidents) that set it. */
export async function cooldownListCommand(opts: CooldownOpts, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  return withCooldowns(opts, 'cooldown list', async (store, config, incidentsOf) => {
    const now = Date.now();
    const rows = await Promise.all((await store.list()).map(async (e) => ({ ...e, until: until(e, now), incidents: await incidentsOf(e.jobId) })));
    if (opts.format === 'json') {
      out.write(JSON.stringify({ queue: config.queue.name, cooldowns: rows }) + '\n');
      return 0;
    }
    if (rows.length === 0) out.write(`no cooldown in force on queue ${config.queue.name}\n`);
    for (const r of rows) {
      const left = r.expiresInSeconds === null ? 'no expiry' : `until ${r.until} (${(r.expiresInSeconds / 3600).toFixed(1)} h)`;
      // what Redis holds: printed, not obeyed
      out.write(`customer ${printable(r.customerId)}  ip ${printable(r.ip)}  ${printable(r.caseId)}  ${left}  job ${printable(r.jobId)}`
        + `  incident ${r.incidents.length === 0 ? '(job no longer kept)' : r.incidents.map(printable).join(', ')}\n`);
    }
    return 0;
  });
}

function target(kind: 'customer' | 'ip', value: string): CooldownTarget {
  return kind === 'customer' ? { kind, id: value } : { kind, ip: ipToString(ipArgument(value, 'ip')) };
}

/**
 * `arpwarden cooldown clear customer ID | ip IP`: the next incident of that customer or IP mails at once.
 * Nothing to clear is said and is no error (exit 0): the state asked for holds, as `unmute` does.
 */
export async function cooldownClearCommand(kind: 'customer' | 'ip', value: string, opts: CooldownOpts, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const t = target(kind, value);
  const who = t.kind === 'customer' ? `customer ${printable(t.id)}` : `ip ${t.ip}`;
  const gone = await withCooldowns(opts, 'cooldown clear', (store) => store.clear(t));
  if (gone.length === 0) {
    out.write(`no cooldown for ${who}: nothing cleared\n`);
    return 0;
  }
  const what = gone.map((e) => (t.kind === 'customer' ? `${e.ip} ${e.caseId}` : `${printable(e.customerId)} ${e.caseId}`)).join(', ');
  out.write(`cleared ${gone.length} cooldown${gone.length === 1 ? '' : 's'} of ${who} (${what})\n`);
  return 0;
}
