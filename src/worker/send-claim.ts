import type { Redis } from 'ioredis';
import type { QueueKeys } from '../email/queue/keys.js';
import type { SentRecord } from './sent-ledger.js';

/** What a worker learns when it asks to send a job. */
export type ClaimAnswer =
  | { kind: 'claimed' }
  /** the "sent" marker is there: the relay took it before */
  | { kind: 'sent'; record: SentRecord }
  /** another attempt holds a live claim: it may be sending now; ask again in `retryInMs` */
  | { kind: 'busy'; retryInMs: number }
  /** a send began and never ended with a known answer (its worker died, or the relay's reply never came) */
  | { kind: 'maybe-sent'; since: string; why: string };

/**
 * The "sending" claim of each job, so that at most one worker sends it, and so that a send whose
 * outcome is unknown is never repeated blindly. BullMQ's lock is not enough: a worker that cannot
 * reach Redis for `stalled_seconds` loses it while its send goes on, and the job goes to another
 * worker (measured: 274 deliveries for 253 jobs). The claim is ours, owned by one attempt's token.
 */
export interface SendClaims {
  /** Takes the claim (and records that a send begins) unless the job is sent, claimed by another, or may be sent. */
  claim(jobId: string, token: string): Promise<ClaimAnswer>;
  /** Extends the claim while the send runs; false when it is no longer ours (expired, taken). */
  hold(jobId: string, token: string): Promise<boolean>;
  /** The relay accepted it: writes the "sent" marker, counts it in the totals, drops the claim and the attempt record, atomically. */
  sent(jobId: string, token: string, record: SentRecord): Promise<void>;
  /** Nothing went out (the relay refused, or was never reached): drops the claim and the attempt record. */
  unsent(jobId: string, token: string): Promise<void>;
  /** The outcome is unknown: the attempt record stays (with why), the claim goes; later attempts answer maybe-sent. */
  maybeSent(jobId: string, token: string, why: string): Promise<void>;
  /** `queue resend`: forgets the marker, the claim and the attempt record, so that the next attempt sends. */
  forget(jobId: string): Promise<void>;
}

/** KEYS: sent, sending, attempt. ARGV: token, claim ms, keep seconds, attempt record (JSON). */
const CLAIM = `
local sent = redis.call('GET', KEYS[1])
if sent then return {'sent', sent} end
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then return {'busy', tostring(redis.call('PTTL', KEYS[2]))} end
if not holder then
  local begun = redis.call('GET', KEYS[3])
  if begun then return {'maybe-sent', begun} end
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', tonumber(ARGV[2]))
redis.call('SET', KEYS[3], ARGV[4], 'EX', tonumber(ARGV[3]))
return {'claimed', ''}
`;

/** KEYS: sending. ARGV: token, claim ms. */
const HOLD = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return 0
`;

/**
 * KEYS: sent, sending, attempt, totals. ARGV: token, record (JSON), keep seconds. The marker whatever the claim's state:
 * the relay took it. Counted as sent in the same step, unless the marker was there (this script run again after its
 * reply was lost): a send is counted once, and a worker killed before this step leaves a maybe-sent, not a sent.
 */
const SENT = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('HINCRBY', KEYS[4], 'sent', 1) end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
redis.call('DEL', KEYS[3])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
`;

/** KEYS: sending, attempt. ARGV: token. Only our own attempt's record goes. */
const UNSENT = `
local begun = redis.call('GET', KEYS[2])
if begun and cjson.decode(begun).token == ARGV[1] then redis.call('DEL', KEYS[2]) end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

/** KEYS: sending, attempt. ARGV: token, record with why (JSON), keep seconds. */
const MAYBE = `
redis.call('SET', KEYS[2], ARGV[2], 'EX', tonumber(ARGV[3]))
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

interface AttemptRecord { token: string; since: string; why?: string }

/** The claims in Redis, beside the queue's other keys (one hash slot: the scripts touch several). */
export class RedisSendClaims implements SendClaims {
  /**
   * @param claimMs the claim's expiry: longer than the SMTP timeout, so that a live send is never taken for a dead one
   * @param keepSeconds how long the marker and the attempt record are kept (`queue.keep_days`)
   */
  constructor(private readonly redis: Redis, private readonly keys: QueueKeys, readonly claimMs: number,
    private readonly keepSeconds: number, private readonly now: () => Date = () => new Date()) {}

  async claim(jobId: string, token: string): Promise<ClaimAnswer> {
    const record: AttemptRecord = { token, since: this.now().toISOString() };
    const [kind, value] = (await this.redis.eval(CLAIM, 3, this.keys.sent(jobId), this.keys.sending(jobId), this.keys.attempt(jobId),
      token, String(this.claimMs), String(this.keepSeconds), JSON.stringify(record))) as [string, string];
    switch (kind) {
      case 'sent': return { kind, record: JSON.parse(value) as SentRecord };
      case 'busy': return { kind, retryInMs: Math.max(1, Number(value)) };
      case 'maybe-sent': {
        const begun = JSON.parse(value) as AttemptRecord;
        return { kind, since: begun.since, why: begun.why ?? 'a send began and its worker stopped before the relay answered' };
      }
      default: return { kind: 'claimed' };
    }
  }

  async hold(jobId: string, token: string): Promise<boolean> {
    return (await this.redis.eval(HOLD, 1, this.keys.sending(jobId), token, String(this.claimMs))) === 1;
  }

  async sent(jobId: string, token: string, record: SentRecord): Promise<void> {
    await this.redis.eval(SENT, 4, this.keys.sent(jobId), this.keys.sending(jobId), this.keys.attempt(jobId), this.keys.totals(), token, JSON.stringify(record), String(this.keepSeconds));
  }

  async unsent(jobId: string, token: string): Promise<void> {
    await this.redis.eval(UNSENT, 2, this.keys.sending(jobId), this.keys.attempt(jobId), token);
  }

  async maybeSent(jobId: string, token: string, why: string): Promise<void> {
    const record: AttemptRecord = { token, since: this.now().toISOString(), why };
    await this.redis.eval(MAYBE, 2, this.keys.sending(jobId), this.keys.attempt(jobId), token, JSON.stringify(record), String(this.keepSeconds));
  }

  async forget(jobId: string): Promise<void> {
    await this.redis.del(this.keys.sent(jobId), this.keys.sending(jobId), this.keys.attempt(jobId));
  }
}

/** The claim's expiry for an SMTP timeout: twice it, so that one slow phase never outlives the claim between two holds. */
export const claimMsFor = (smtpTimeoutSeconds: number): number => Math.max(2000, Math.round(smtpTimeoutSeconds * 2000));
