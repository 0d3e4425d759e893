import type { Redis } from 'ioredis';
import type { QueueKeys } from '../email/queue/keys.js';
import { WORKER_OUTCOMES, type WorkerOutcome } from '../email/queue/totals.js';

/** The workers' totals (src/email/queue/totals.ts) for the outcomes other than sent (the "sent" marker's script counts those). */
export interface OutcomeTotals {
  /** Counts the job's outcome unless it was counted before; resolves true when this call counted it. */
  countOnce(jobId: string, outcome: Exclude<WorkerOutcome, 'sent'>): Promise<boolean>;
  /**
   * `queue resend`: the job's markers go, so that the new delivery's outcome is counted too (once), as its "sent"
   * is once the "sent" marker goes; what the earlier delivery counted stays (it happened).
   */
  forget(jobId: string): Promise<void>;
}

/** the outcomes counted with a marker per job (a send is counted by the "sent" marker's script) */
const MARKED = WORKER_OUTCOMES.filter((o): o is Exclude<WorkerOutcome, 'sent'> => o !== 'sent');

/** KEYS: counted marker, totals. ARGV: outcome, keep seconds. The marker and the count in one step: a retried call counts nothing. */
const COUNT_ONCE = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[2])) then
  redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
  return 1
end
return 0
`;

export class RedisOutcomeTotals implements OutcomeTotals {
  constructor(private readonly redis: Redis, private readonly keys: QueueKeys, private readonly keepSeconds: number) {}

  async countOnce(jobId: string, outcome: Exclude<WorkerOutcome, 'sent'>): Promise<boolean> {
    return (await this.redis.eval(COUNT_ONCE, 2, this.keys.counted(outcome, jobId), this.keys.totals(), outcome, String(this.keepSeconds))) === 1;
  }

  async forget(jobId: string): Promise<void> {
    await this.redis.del(...MARKED.map((o) => this.keys.counted(o, jobId)));
  }
}
