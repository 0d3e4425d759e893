import type { MetricPoint } from './metric-point.js';

/** Where points go: one InfluxDB. `write` rejects when the points were not taken (the pump retries them, or drops them when `permanent`). */
export interface PointTransport {
  /** `influx` or `influx2`: the label of its counts */
  readonly name: string;
  /** where it writes, without credentials, for log lines */
  readonly target: string;
  /** checks the server answers (and, for 1.x, that the database exists, creating it if not); rejects with a WriteFailure */
  prepare(): Promise<void>;
  write(points: readonly MetricPoint[]): Promise<void>;
  close(): Promise<void>;
}

/** A failed write or check, in our words; `permanent`: the server refused these points (bad data), retrying cannot help. */
export class WriteFailure extends Error {
  constructor(message: string, readonly permanent = false) {
    super(message);
  }
}

const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  ESOCKETTIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};

/** A client library's error as a WriteFailure: network codes in words, an HTTP status with the server's reason; 400 and 413 are permanent. */
export function writeFailure(e: unknown, status?: number): WriteFailure {
  if (e instanceof WriteFailure) return e;
  const code = e !== null && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  if (code !== undefined && NETWORK_WORDS[code] !== undefined) return new WriteFailure(NETWORK_WORDS[code]);
  const message = e instanceof Error ? e.message : String(e);
  if (status !== undefined) return new WriteFailure(`HTTP ${status}: ${message.trim()}`, status === 400 || status === 413);
  return new WriteFailure(message);
}
