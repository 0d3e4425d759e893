/** Why a POST failed, as `webhook_failed_total{reason}` counts it: a bounded set. */
export const WEBHOOK_FAILURE_REASONS = ['connection', 'timeout', 'http_3xx', 'http_4xx', 'http_5xx'] as const;
export type WebhookFailureReason = (typeof WEBHOOK_FAILURE_REASONS)[number];

/** A POST that did not go: why, whether trying again may help, and a short text for the log. */
export class WebhookFailure extends Error {
  constructor(readonly reason: WebhookFailureReason, readonly retry: boolean, message: string) {
    super(message);
    this.name = 'WebhookFailure';
  }
}

export interface PostOptions {
  /** sent as `Authorization: Bearer TOKEN` */
  token: string | null;
  timeoutMs: number;
  /** aborts the POST (the sink closing) */
  signal?: AbortSignal;
}

/**
 * POSTs one JSON body. Resolves on a 2xx; otherwise throws a WebhookFailure: a connection error, a timeout, a 5xx,
 * a 408 or a 429 may go on a retry; any other status is the receiver refusing this body for good. Redirects are not
 * followed: a POST redirected is a GET, which is not what the receiver asked for.
 */
export async function postJson(url: string, body: string, o: PostOptions): Promise<void> {
  const timeout = AbortSignal.timeout(o.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'arpwarden', ...(o.token !== null ? { authorization: `Bearer ${o.token}` } : {}) },
      body,
      redirect: 'manual',
      signal: o.signal !== undefined ? AbortSignal.any([timeout, o.signal]) : timeout,
    });
  } catch (e) {
    if (timeout.aborted) throw new WebhookFailure('timeout', true, `no answer within ${o.timeoutMs / 1000} s`);
    throw new WebhookFailure('connection', true, connectionError(e));
  }
  // the answer's body is not read (a receiver may send anything, of any size): cancelled, which frees the connection
  await res.body?.cancel().catch(() => undefined);
  if (res.ok) return;
  const s = res.status;
  const reason: WebhookFailureReason = s >= 500 ? 'http_5xx' : s >= 400 ? 'http_4xx' : 'http_3xx';
  throw new WebhookFailure(reason, s >= 500 || s === 408 || s === 429, `HTTP ${s}${res.statusText !== '' ? ` ${res.statusText}` : ''}`);
}

/** fetch's "fetch failed" with its cause's code, in a few words. */
function connectionError(e: unknown): string {
  const cause = e instanceof Error ? (e.cause as NodeJS.ErrnoException | undefined) : undefined;
  const code = cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code !== undefined) return code;
  return e instanceof Error ? (cause?.message ?? e.message) : String(e);
}
