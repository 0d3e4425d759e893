import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { QueueKeys } from '../email/queue/keys.js';
import { closeRedis, redactUrl, redisClient, redisReason, type SentinelTarget } from '../email/queue/redis.js';
import { parseState } from './daemon-state.js';
import type { EncodedState } from './encoded-state.js';
import { type LateRefusal, SET_ASIDE_TTL_MS, type StateLoad, type StateStore } from './state-store.js';

export { SET_ASIDE_TTL_MS } from './state-store.js';

export interface RedisStateOptions {
  url: string;
  sentinel?: SentinelTarget;
  /** queue.name: the state key lives beside the queue's own keys */
  queueName: string;
  /** state.instance: which daemon this is among those of the queue */
  instance: string;
  iface: string;
  /** at start, how long to wait for Redis before starting with no state */
  waitMs: number;
  /** a save that Redis does not answer within this is failed (and retried at the next interval) */
  saveTimeoutMs?: number;
}

/**
 * Puts the state in place and takes the writer mark in one script, so that a save is one atomic step: the
 * state was sent before into a key of its own (KEYS[3], the save's), a MiB at a time, and is renamed over
 * the old one here, as a file is. A daemon that finds another daemon's mark does not write: the other one
 * started later under the same name and holds the state now. A state that did not arrive whole (its length)
 * is not used. A save of this process older than the one in place (KEYS[4] names which: the writer's token and
 * its number) is refused: one that timed out may still arrive after the next one, and must not undo it. Across a
 * restart the writer mark orders them: the new process takes it at start, so the old one's late saves are refused.
 * `setAside` (a suffix): the key was never read at start (Redis was away), so what it holds is renamed, not overwritten.
 * KEYS: state, writer, the save's own, which save is in place. ARGV: this daemon's token, the state's length,
 * the set-aside suffix or '', the save's number, the set-aside key's lifetime (ms).
 */
const SAVE = `
local w = redis.call('GET', KEYS[2])
if ARGV[3] == '' and w and w ~= ARGV[1] then
  redis.call('DEL', KEYS[3])
  return 'taken:' .. w
end
local placed = redis.call('HMGET', KEYS[4], 'by', 'save')
if placed[1] == ARGV[1] and tonumber(placed[2]) >= tonumber(ARGV[4]) then
  redis.call('DEL', KEYS[3])
  return 'stale:' .. placed[2]
end
local got = redis.call('STRLEN', KEYS[3])
if got ~= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[3])
  return 'short:' .. got
end
local moved = ''
if ARGV[3] ~= '' and redis.call('EXISTS', KEYS[1]) == 1 then
  moved = KEYS[1] .. ARGV[3]
  redis.call('RENAME', KEYS[1], moved)
  redis.call('PEXPIRE', moved, ARGV[5])
end
redis.call('RENAME', KEYS[3], KEYS[1])
redis.call('PERSIST', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[4], 'by', ARGV[1], 'save', ARGV[4])
return 'ok:' .. moved
`;

/**
 * How much of the state goes to Redis in one command (bytes). Why not all of it: ioredis copies a command's
 * arguments into one buffer, on the capture's thread; 8.8 MB at once held it 3–10 ms more than a save may.
 */
const SEND_BYTES = 1 << 20;


/** A save's own key outlives a daemon that died in the middle of it by this much at most (ms). */
const SENDING_TTL_MS = 120_000;

/**
 * A capture daemon's state in one Redis key (`arpwarden:{QUEUE}:state:INSTANCE:IF`), replaced whole at
 * each save; a second key marks which process writes it. Redis away never stops the capture: at start
 * the daemon waits `waitMs` and then goes on with no state, a save that fails is retried at the next one.
 */
export class RedisStateStore implements StateStore {
  readonly key: string;
  private readonly writerKey: string;
  /** which save is in place: the writer's token and the save's number (a hash: by, save) */
  private readonly placedKey: string;
  private readonly redis: Redis;
  /** who writes: host, pid and a random part (a restarted process is another writer) */
  private readonly token: string;
  /** saves begun by this process: each one's number, in the order they began (each sends into a key of its own) */
  private saves = 0;
  private lastError: unknown = null;
  /** the key could not be read at start: the first save sets aside what it holds */
  private unread = false;

  constructor(private readonly o: RedisStateOptions, host: string) {
    this.key = new QueueKeys(o.queueName).state(o.instance, o.iface);
    this.writerKey = `${this.key}:writer`;
    this.placedKey = `${this.key}:placed`;
    this.token = `${host}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.redis = redisClient(o.url, 'producer', o.sentinel);
    this.redis.on('error', (e: unknown) => { this.lastError = e; });
  }

  get where(): string {
    const s = this.o.sentinel;
    return `state in redis ${s === undefined ? redactUrl(this.o.url) : `${s.name} (sentinels ${s.sentinels.join(', ')})`} key ${this.key}`;
  }

  async load(signal?: AbortSignal): Promise<StateLoad> {
    if (!(await this.ready(this.o.waitMs, signal))) {
      const why = redisReason(this.lastError ?? 'not connected');
      return this.unreachable(signal?.aborted === true ? `stopped before it answered (${why})` : `not reachable within ${Math.round(this.o.waitMs / 100) / 10} s (${why})`);
    }
    let text: string | null;
    try {
      text = await this.redis.get(this.key);
      await this.redis.set(this.writerKey, this.token);
    } catch (e) {
      return this.unreachable(redisReason(e));
    }
    if (text === null) return { kind: 'none' };
    const r = parseState(text);
    const problem = 'problem' in r ? r.problem
      : r.state.interface !== this.o.iface ? `written by the capture on ${r.state.interface}, not on ${this.o.iface}`
        : r.state.instance !== undefined && r.state.instance !== this.o.instance ? `written by instance ${r.state.instance}, not ${this.o.instance}`
          : null;
    if (problem === null && 'state' in r) return { kind: 'loaded', state: r.state };
    const movedTo = `${this.key}:bad-${Date.now()}`;
    try {
      await this.redis.rename(this.key, movedTo);
      await this.redis.pexpire(movedTo, SET_ASIDE_TTL_MS);
    } catch (e) {
      return this.unreachable(redisReason(e));
    }
    return { kind: 'set_aside', problem: problem ?? 'unusable', movedTo };
  }

  async save(state: EncodedState, onLateRefusal?: LateRefusal): Promise<{ setAside?: string }> {
    const suffix = this.unread ? `:unread-${Date.now()}` : '';
    const number = ++this.saves;
    const sent = this.send(state, suffix, number);
    let answer: unknown;
    try {
      answer = await withTimeout(sent, this.o.saveTimeoutMs ?? 5000);
    } catch (e) {
      if (e instanceof NoAnswer) sent.then((late) => { const a = String(late); if (a.startsWith('stale:')) onLateRefusal?.(staleWords(number, a)); }, () => undefined);
      throw new Error(`redis ${this.server}: ${redisReason(e)}`, { cause: e });
    }
    const a = String(answer);
    if (a.startsWith('taken:')) {
      throw new Error(`${this.key} is written by another capture daemon now (${a.slice('taken:'.length)}): give each its own state.instance`);
    }
    if (a.startsWith('short:')) throw new Error(`redis ${this.server}: the state did not arrive whole (${a.slice('short:'.length)} bytes), not used`);
    if (a.startsWith('stale:')) throw new Error(`${this.key}: save number ${number} of this process is older than the one in place (number ${a.slice('stale:'.length)}), not used`);
    this.unread = false;
    const moved = a.slice('ok:'.length);
    return moved === '' ? {} : { setAside: moved };
  }

  /** The state into the save's own key a part at a time (the capture runs between them), then put in place by SAVE. */
  private async send(state: EncodedState, suffix: string, number: number): Promise<unknown> {
    // a key of each save's own: a save that timed out may still be sending when the next one starts
    const sending = `${this.key}:saving:${this.token}:${number}`;
    let length = 0;
    for (const part of state.groups(SEND_BYTES, { instance: this.o.instance })) {
      if (length === 0) await this.redis.set(sending, part, 'PX', SENDING_TTL_MS);
      // APPEND, not SETRANGE at its offset: a part lost on the way leaves the state short (refused), not a hole of zeros
      // its expiry set again with each part: an APPEND after the key expired would make one that never does
      else {
        await this.redis.append(sending, part);
        await this.redis.pexpire(sending, SENDING_TTL_MS);
      }
      length += part.length;
    }
    return this.redis.eval(SAVE, 4, this.key, this.writerKey, sending, this.placedKey, this.token, length, suffix, number, SET_ASIDE_TTL_MS);
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }

  /** the server, for a message: its URL without the password, or the master the sentinels name */
  private get server(): string {
    return this.o.sentinel === undefined ? redactUrl(this.o.url) : this.o.sentinel.name;
  }

  private unreachable(problem: string): StateLoad {
    this.unread = true;
    return { kind: 'unreachable', problem: `redis ${this.server}: ${problem}` };
  }

  /** Whether the connection is up within `ms` (false at once when `signal` aborts: the daemon is stopping). */
  private ready(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.redis.status === 'ready') return Promise.resolve(true);
    if (signal?.aborted === true) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onReady = (): void => done(true);
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(false), ms);
      this.redis.on('ready', onReady);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** what a late save's refusal says: its number and the one in place (`stale:N`, SAVE's answer) */
function staleWords(number: number, answer: string): string {
  return `a save that had timed out (number ${number} of this process) arrived after a newer one (number ${answer.slice('stale:'.length)})`;
}

class NoAnswer extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new NoAnswer(`no answer within ${ms / 1000} s`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
