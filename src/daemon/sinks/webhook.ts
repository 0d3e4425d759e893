import { hostname } from 'node:os';
import { UserError } from '../../common/user-error.js';
import type { SinkContext, SinkHandle } from '../sinks.js';

/**
 * The NOC's webhook (noc.webhook_url): every incident opened, resolved or folded, noise included, POSTed as JSON.
 * It starts without the receiver: notifications are held (the oldest dropped past noc.max_pending) until it answers.
 */
export async function webhookSink(ctx: SinkContext, env: NodeJS.ProcessEnv = process.env): Promise<SinkHandle | null> {
  const cfg = ctx.config.noc;
  if (cfg.webhook_url === undefined) return null;
  let token: string | null = null;
  if (cfg.webhook_token_env !== undefined) {
    const v = env[cfg.webhook_token_env];
    if (v === undefined || v === '') throw new UserError(`noc.webhook_token_env: the environment variable ${cfg.webhook_token_env} is not set`);
    token = v;
  }
  const { WebhookSink } = await import('../../sinks/webhook-sink.js');
  const sink = new WebhookSink({
    url: cfg.webhook_url, token, host: hostname(), timeoutMs: cfg.timeout_seconds * 1000, maxPending: cfg.max_pending,
    retryMs: cfg.retry_seconds * 1000, maxRetryMs: cfg.max_retry_seconds * 1000, flushMs: cfg.flush_seconds * 1000,
    notice: (level, message) => ctx.events.emit({ type: 'sink_notice', sink: 'webhook', level, message }),
  });
  const t = ctx.telemetry;
  t.describeAll([
    ['webhook_posted_total', 'counter', 'incident notifications the NOC webhook took (2xx)'],
    ['webhook_failed_total', 'counter', 'POSTs to the NOC webhook that failed, by reason (connection, timeout, http_5xx: retried; http_4xx: dropped)'],
    ['webhook_dropped_total', 'counter', 'incident notifications not delivered: the oldest when the buffer was full, those refused (4xx), those left at exit'],
    ['webhook_pending', 'gauge', 'incident notifications held now, waiting for the NOC webhook'],
  ]);
  t.source('webhook', (out) => {
    const s = sink.stats();
    out.counter('webhook_posted_total', s.posted);
    for (const [reason, n] of Object.entries(s.failed)) out.counter('webhook_failed_total', n, { reason });
    out.counter('webhook_dropped_total', s.dropped);
    out.gauge('webhook_pending', s.pending);
  });
  return {
    sinks: [sink],
    close: () => sink.close(),
    report: () => {
      const s = sink.stats();
      const failed = Object.values(s.failed).reduce((a, b) => a + b, 0);
      return [`webhook: ${sink.url}: ${s.posted} notifications posted, ${s.dropped} dropped, ${failed} failed posts${s.last_error !== null ? ` (last: ${s.last_error})` : ''}`];
    },
    json: () => ({ url: sink.url, ...sink.stats() }),
    health: () => sink.health(),
  };
}
