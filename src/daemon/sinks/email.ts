import type { Telemetry } from '../../telemetry/telemetry.js';
import { HEARTBEAT_MS } from '../live-clock.js';
import type { SinkContext, SinkHandle } from '../sinks.js';
import { queueCounts } from './queue-counts.js';

/** The customers' warning emails: queued when queue.redis_url is set (Redis may come later: jobs are held), or written to an outbox. */
export async function emailSinks(ctx: SinkContext): Promise<SinkHandle | null> {
  const { config } = ctx;
  if (ctx.outbox === undefined && config.queue.redis_url === undefined) return null;
  const { createNotifier } = await import('../../email/create-notifier.js');
  const emails = await createNotifier(config, {
    outbox: ctx.outbox, enqueue: config.queue.redis_url !== undefined, redisNow: false, configFile: ctx.configFile,
    // Redis away, an email not written, jobs lost: warn (an operator acts on them); it is back: info
    log: (line, level = 'info') => ctx.events.emit({ type: 'sink_notice', sink: 'emails', level, message: line }),
  });
  registerEmailTelemetry(ctx.telemetry, () => emails.json());
  // the queue's own counts (waiting, delayed, failed, maybe-sent), read in the background at each heartbeat
  const counts = config.queue.redis_url === undefined ? null : queueCounts(config.queue, config.queue.redis_url, ctx.telemetry, HEARTBEAT_MS);
  return {
    sinks: emails.sinks, close: async () => { await Promise.all([emails.close(), counts?.stop()]); }, report: () => emails.report(), json: () => emails.json(),
    state: { save: () => emails.saveState(), restore: (v, open) => { if (isRecord(v)) emails.restoreState(v, open); } },
    failure: () => emails.failure(),
    health: () => {
      const all = emails.health();
      return { ok: all.every((h) => h.ok), detail: all.map((h) => h.detail).join('; ') };
    },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every email transport's counts as `email_jobs_total{transport, outcome}`: what went where, what was held or dropped. */
export function registerEmailTelemetry(t: Telemetry, stats: () => Record<string, object | undefined>): void {
  t.describe('email_jobs_total', 'counter', 'customer email jobs by transport and outcome (enqueued, written, cooldown, muted, dropped, failed...)');
  t.describe('email_jobs_held', 'gauge', 'email jobs held in memory now, waiting for their transport (Redis away)');
  t.source('emails', (out) => {
    for (const [transport, s] of Object.entries(stats())) {
      if (s === undefined) continue;
      for (const [outcome, v] of Object.entries(s)) {
        if (typeof v !== 'number') continue;
        if (outcome === 'pending') out.gauge('email_jobs_held', v, { transport });
        else out.counter('email_jobs_total', v, { transport, outcome });
      }
    }
  });
}
