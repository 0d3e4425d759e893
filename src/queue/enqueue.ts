import type { Redis } from 'ioredis';
import type { MuteConfig, QueueConfig } from '../config/schema.js';
import type { EmailJob } from '../incidents/email-job.js';
import { type EmailQueue, JOB_NAME, openEmailQueue } from './email-queue.js';
import { QueueKeys, storedJobId } from './keys.js';
import { mutedByConfig } from './mute.js';

export type EnqueueOutcome = 'enqueued' | 'cooldown' | 'muted';

/**
 * One round trip decides, atomically, whether the job may go: not muted, and the cooldown of its
 * (customer, IP, case) free or already taken by this very job id. The cooldown key holds the job id
 * that took it, so a producer that set it and died before adding the job, or a second daemon that
 * saw the same incident, still adds the job: BullMQ's job id makes that second add a no-op.
 * KEYS: mute customer, mute IP, cooldown. ARGV: job id, cooldown seconds (0: no cooldown).
 */
const GATE = `
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 'muted' end
if ARGV[2] == '0' then return 'go' end
local holder = redis.call('GET', KEYS[3])
if not holder then
  redis.call('SET', KEYS[3], ARGV[1], 'EX', tonumber(ARGV[2]))
  return 'go'
end
if holder == ARGV[1] then return 'go' end
return 'cooldown'
`;

/**
 * Puts email jobs on the queue: the producer's half of "one incident, one email". Works on a
 * connection that may come and go (a capture daemon's): the BullMQ queue is opened once Redis has
 * answered, and opened again if Redis went away while it was starting.
 */
export class EmailEnqueuer {
  private readonly keys: QueueKeys;
  private queue: EmailQueue | null = null;
  private queueBroken = false;

  constructor(private readonly redis: Redis, private readonly cfg: QueueConfig, private readonly mute: MuteConfig) {
    this.keys = new QueueKeys(cfg.name);
  }

  /** Throws when Redis cannot be reached; calling again with the same job is always safe. */
  async enqueue(job: EmailJob): Promise<EnqueueOutcome> {
    if (mutedByConfig(this.mute, job) !== null) return 'muted';
    const ttl = Math.ceil(this.cfg.cooldown_hours * 3600);
    const gate = await this.redis.eval(GATE, 3, this.keys.muteCustomer(job.customer.id), this.keys.muteIp(job.ip),
      this.keys.cooldown(job.customer.id, job.ip, job.caseId), job.jobId, String(ttl));
    if (gate === 'muted' || gate === 'cooldown') return gate;
    await this.openQueue().add(JOB_NAME, job, { jobId: storedJobId(job.jobId) });
    return 'enqueued';
  }

  /** Closes the queue (not the connection, which the caller owns). */
  async close(): Promise<void> {
    await this.queue?.close().catch(() => {});
    this.queue = null;
  }

  private openQueue(): EmailQueue {
    if (this.queue === null || this.queueBroken) {
      void this.queue?.close().catch(() => {});
      const q = openEmailQueue(this.redis, this.cfg);
      this.queue = q;
      this.queueBroken = false;
      // BullMQ reads the server's version once at start; if the connection dropped right then, that queue never recovers
      q.waitUntilReady().catch(() => {
        if (this.queue === q) this.queueBroken = true;
      });
    }
    return this.queue;
  }
}
