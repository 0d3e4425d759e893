import type { Config } from '../../../src/config/schema.js';
import type { EmailJob } from '../../../src/email/job.js';
import { notify } from '../../../src/email/notifier/notifier.js';
import { QueueTransport } from '../../../src/email/notifier/queue-transport.js';
import { RedisNotificationPolicy } from '../../../src/email/policy/redis-policy.js';
import { type EmailQueue, openEmailQueue } from '../../../src/email/queue/email-queue.js';
import { QueueKeys } from '../../../src/email/queue/keys.js';
import { redisClient } from '../../../src/email/queue/redis.js';

/** A test's view of its queue: counts, jobs, and a direct enqueue (the notifier's policy and transport, without its buffer). */
export class QueueProbe {
  readonly queue: EmailQueue;
  private readonly transport: QueueTransport;
  private readonly policy: RedisNotificationPolicy;

  constructor(config: Config) {
    const redis = redisClient(config.queue.redis_url!, 'worker');
    this.queue = openEmailQueue(redis, config.queue);
    this.transport = new QueueTransport(redis, config.queue, config.queue.redis_url!);
    this.policy = new RedisNotificationPolicy(redis, new QueueKeys(config.queue.name), config.mute, config.queue.cooldown_hours);
  }

  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  }

  enqueue(job: EmailJob): Promise<string> {
    return notify(job, this.policy, this.transport);
  }

  /** the probe's queue, then the transport's, then the connection */
  async close(): Promise<void> {
    await this.queue.close();
    await this.transport.close();
  }
}
