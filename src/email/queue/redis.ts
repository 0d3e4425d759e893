import { Redis, type RedisOptions } from 'ioredis';
import { UserError } from '../../common/user-error.js';
import type { Config } from '../../config/schema.js';

/**
 * How each kind of process talks to Redis:
 * - `cli`: one try, no reconnection, commands fail at once: a command-line tool says what is wrong and exits 2;
 * - `producer`: reconnects forever in the background, commands fail at once while disconnected (the
 *   capture daemon's sink buffers and retries: capture never waits on Redis);
 * - `worker`: reconnects forever, commands wait for the connection (BullMQ's blocking reads need that).
 */
export type RedisRole = 'cli' | 'producer' | 'worker';

const RECONNECT_MAX_MS = 2000;

/** Redis Sentinel (queue.sentinels): the master is whichever the sentinels name, and follows a failover. */
export interface SentinelTarget {
  sentinels: readonly string[];
  name: string;
}

/** The Sentinel part of the queue's configuration, or undefined for a plain `redis_url`. */
export function sentinelOf(q: Readonly<{ sentinels?: readonly string[]; sentinel_name: string }>): SentinelTarget | undefined {
  return q.sentinels === undefined ? undefined : { sentinels: q.sentinels, name: q.sentinel_name };
}

export function redisClient(url: string, role: RedisRole, sentinel?: SentinelTarget): Redis {
  const reconnect = (n: number): number => Math.min(50 * 2 ** n, RECONNECT_MAX_MS);
  // disconnectTimeout: disconnect() is for a connection that is not up (else closeRedis QUITs); a socket that
  // failed to connect is never 'closed' again, and ioredis would hold the process for 2 s waiting for it
  const common: RedisOptions = { disconnectTimeout: 100 };
  const opts: RedisOptions = role === 'cli'
    ? { ...common, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5000 }
    : role === 'producer'
      ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: reconnect, connectTimeout: 5000 }
      : { ...common, maxRetriesPerRequest: null, retryStrategy: reconnect };
  const client = sentinel === undefined ? new Redis(url, opts) : new Redis({ ...opts, ...sentinelOptions(url, sentinel, reconnect) });
  // connection errors are reported by the commands that fail; an 'error' event with no listener would crash
  client.on('error', () => {});
  return client;
}

/** ioredis's Sentinel options: the sentinels, the master's name, and the password and database of `url`. */
function sentinelOptions(url: string, s: SentinelTarget, reconnect: (n: number) => number): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.replace(/^\//, '');
  return {
    sentinels: s.sentinels.map((hp) => {
      const i = hp.lastIndexOf(':');
      return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
    }),
    name: s.name,
    ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== '' ? { db: Number(db) } : {}),
    // a failover: ask the sentinels again, as often as the master itself is retried
    sentinelRetryStrategy: reconnect,
    // a master demoted to replica answers READONLY: reconnect to the one the sentinels name now
    reconnectOnError: (e) => /READONLY/.test(e.message),
  };
}

/** `queue.redis_url`, or the one-line error of a command that needs Redis (`what`: the command or option). */
export function requireRedisUrl(config: Config, configFile: string | undefined, what: string): string {
  const url = config.queue.redis_url;
  if (url === undefined) {
    throw new UserError(`${what} needs Redis: set queue.redis_url in ${configFile ?? 'the configuration (--config FILE)'}`);
  }
  return url;
}

/** Connects a `cli` client, or throws the one-line UserError: `redis redis://127.0.0.1:6390: connection refused`. */
export async function connectOrFail(url: string, sentinel?: SentinelTarget): Promise<Redis> {
  const client = redisClient(url, 'cli', sentinel);
  // connect() rejects with "Connection is closed"; the reason came with the 'error' event before it
  let cause: unknown = null;
  const onError = (e: unknown): void => { cause ??= e; };
  client.on('error', onError);
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    throw redisUserError(url, cause ?? e);
  } finally {
    client.off('error', onError);
  }
  return client;
}

/** `cause`: the driver's error, so that a caller can tell Redis away from Redis refusing (redisRefused). */
export function redisUserError(url: string, e: unknown): UserError {
  return new UserError(`redis ${redactUrl(url)}: ${redisReason(e)}`, { cause: e });
}

/** Redis answered and said no (a password wrong or missing): waiting for it will not help, unlike Redis away. */
export function redisRefused(e: unknown): boolean {
  return redisReason(e instanceof UserError ? e.cause : e).startsWith('authentication failed');
}

/** The reason a Redis command or connection failed, in a few words. */
export function redisReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'host not found';
    case 'ETIMEDOUT': return 'connection timed out';
    case 'ECONNRESET': return 'connection reset';
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'host unreachable';
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (/NOAUTH|WRONGPASS|invalid password/i.test(msg)) return `authentication failed (${msg.split('\n')[0]})`;
  if (/Stream isn't writeable|Connection is closed|enableOfflineQueue/i.test(msg)) return 'not connected';
  return msg.split('\n')[0];
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Closes a client whatever its state: QUIT when connected, else drop the socket and stop reconnecting. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // fall through
    }
  }
  client.disconnect();
}
