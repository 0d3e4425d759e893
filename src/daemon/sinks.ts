import type { Config } from '../config/schema.js';
import type { IncidentSink } from '../incidents/incident.js';
import { StreamSink } from '../sinks/stream-sink.js';
import type { DaemonEvents } from '../telemetry/events.js';
import type { Telemetry } from '../telemetry/telemetry.js';

export interface DaemonSinkOptions {
  /** with detection off there are no incidents, so no sinks */
  detection: boolean;
  format: 'text' | 'json';
  out: NodeJS.WritableStream;
  /** write the warning emails into this directory (embedded mode) */
  outbox?: string;
  configFile?: string;
  events: DaemonEvents;
  telemetry: Telemetry;
}

export interface DaemonSinks {
  sinks: IncidentSink[];
  close(): Promise<void>;
  /** one line per email transport, after close() */
  report(): string[];
  json(): { emails?: Record<string, unknown> };
}

/**
 * The capture daemon's sinks, from the configuration, in one place: incident lines on stdout, and
 * the warning emails (queued when queue.redis_url is set, Redis may come later; or an outbox).
 */
export async function daemonSinks(config: Config, o: DaemonSinkOptions): Promise<DaemonSinks> {
  if (!o.detection) return { sinks: [], close: async () => {}, report: () => [], json: () => ({}) };
  const stream = new StreamSink(o.out, o.format);
  const wantEmails = o.outbox !== undefined || config.queue.redis_url !== undefined;
  const emails = !wantEmails ? null
    : await (await import('../email/create-notifier.js')).createNotifier(config, {
      outbox: o.outbox, enqueue: config.queue.redis_url !== undefined, redisNow: false, configFile: o.configFile,
      log: (line) => o.events.emit({ type: 'sink_notice', sink: 'emails', level: 'info', message: line }),
    });
  if (emails !== null) registerEmailTelemetry(o.telemetry, () => emails.json());
  return {
    sinks: [stream, ...(emails?.sinks ?? [])],
    close: async () => { await emails?.close(); },
    report: () => emails?.report() ?? [],
    json: () => (emails === null ? {} : { emails: emails.json() }),
  };
}

/** Every email transport's counts as `email_jobs{transport, outcome}`: what went where, what was held or dropped. */
function registerEmailTelemetry(t: Telemetry, stats: () => Record<string, object | undefined>): void {
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
