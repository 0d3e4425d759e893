import type { IncidentChange, IncidentSink } from '../incidents/incident.js';
import { BoundedPump } from './bounded-pump.js';
import { webhookPayload } from './webhook-payload.js';
import { postJson, WEBHOOK_FAILURE_REASONS, WebhookFailure, type WebhookFailureReason } from './webhook-post.js';

export interface WebhookSinkOptions {
  url: string;
  /** `Authorization: Bearer TOKEN`; null: no header */
  token: string | null;
  /** arpwarden's host name, in every payload */
  host: string;
  timeoutMs: number;
  /** notifications held at most; past it the oldest waiting is dropped, counted */
  maxPending: number;
  retryMs: number;
  maxRetryMs: number;
  /** on close, how long to wait for the webhook to take what is held */
  flushMs: number;
  /** one line when the webhook goes away, when it is back, when it refuses a notification after taking others */
  notice?: (level: 'info' | 'warn', message: string) => void;
}

export interface WebhookStats {
  posted: number;
  dropped: number;
  pending: number;
  retries: number;
  /** failed POSTs by reason (each retried, but for a refusal) */
  failed: Record<WebhookFailureReason, number>;
  /** why the last POST failed, for the summary */
  last_error: string | null;
}

/**
 * The NOC's webhook: each incident opened, resolved or folded becomes one JSON POST (the payload made at once, the
 * incident may change after). `accept` never waits: the bodies go through a BoundedPump, one POST at a time, in
 * order; a connection error, a timeout or a 5xx is retried with backoff while the others wait; a full buffer drops
 * the oldest waiting. A status the receiver means (4xx) drops that one notification, counted, and goes on.
 */
export class WebhookSink implements IncidentSink {
  readonly name = 'webhook';
  private readonly pump: BoundedPump<string>;
  private readonly failed = Object.fromEntries(WEBHOOK_FAILURE_REASONS.map((r) => [r, 0])) as Record<WebhookFailureReason, number>;
  private readonly abort = new AbortController();
  private readonly where: string;
  private refused = 0;
  private down = false;
  private refusing = false;
  private lastError: string | null = null;
  private closed: Promise<void> | null = null;

  constructor(private readonly o: WebhookSinkOptions) {
    this.where = displayUrl(o.url);
    const notice = o.notice ?? (() => {});
    this.pump = new BoundedPump<string>({
      capacity: o.maxPending,
      overflow: 'drop-oldest',
      retryMs: o.retryMs,
      maxRetryMs: o.maxRetryMs,
      handle: async (body) => {
        try {
          await postJson(o.url, body, { token: o.token, timeoutMs: o.timeoutMs, signal: this.abort.signal });
        } catch (e) {
          if (this.abort.signal.aborted) throw e; // closed: given up, not failed
          const f = e instanceof WebhookFailure ? e : new WebhookFailure('connection', true, String(e));
          this.failed[f.reason]++;
          this.lastError = f.message;
          if (f.retry) throw f;
          // refused for good: that one is dropped, the next ones go; the receiver answers, so it is not away
          this.refused++;
          this.down = false;
          if (!this.refusing) notice('warn', `${this.where} refused a notification (${f.message}): dropped, counted; the next ones are sent`);
          this.refusing = true;
          return;
        }
        this.refusing = false;
        if (this.down) {
          this.down = false;
          // this one counts as pending until the handler returns
          const held = this.pump.pending - 1;
          notice('info', `${this.where} is back${held > 0 ? `: sending the ${held} notifications held` : ''}`);
        }
      },
      onRetry: (e) => {
        if (this.down || this.abort.signal.aborted) return;
        this.down = true;
        notice('warn', `${this.where} is away (${e instanceof Error ? e.message : String(e)}): holding notifications (at most ${o.maxPending}, the oldest dropped past it), retrying with backoff`);
      },
    });
  }

  accept(c: IncidentChange): void {
    const payload = webhookPayload(c, this.o.host);
    if (payload !== null) this.pump.push(JSON.stringify(payload));
  }

  stats(): WebhookStats {
    return {
      posted: this.pump.handled - this.refused, dropped: this.pump.dropped + this.refused, pending: this.pump.pending,
      retries: this.pump.retries, failed: { ...this.failed }, last_error: this.lastError,
    };
  }

  /**
   * For /readyz: down from the first failed POST of an outage to the next one that goes; not ok either while the
   * receiver refuses what it is sent (a wrong token or path: every notification dropped, though it answers).
   */
  health(): { ok: boolean; detail: string } {
    const s = this.stats();
    if (this.down) return { ok: false, detail: `${this.where}: not answering (${s.last_error ?? 'no reply'}), ${s.pending} notifications held, ${s.dropped} dropped` };
    if (this.refusing) return { ok: false, detail: `${this.where}: refusing notifications (${s.last_error ?? 'refused'}), ${this.refused} refused, ${s.dropped} dropped` };
    return { ok: true, detail: `${this.where}: posting` };
  }

  /** Resolves when nothing is held (tests). */
  idle(): Promise<void> {
    return this.pump.idle();
  }

  /** Waits up to flushMs for what is held, then gives up on the rest (counted as dropped) and on the POST under way. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.pump.close(this.o.flushMs);
      this.abort.abort();
    })();
    return this.closed;
  }

  /** The URL as the logs show it: no credentials, no query (a token may hide in either). */
  get url(): string {
    return this.where;
  }
}

function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}
