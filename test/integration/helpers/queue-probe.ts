import type { Config } from '../../../src/config/schema.js';
import type { EmailJob } from '../../../src/incidents/email-job.js';
import { type EmailQueue, openEmailQueue } from '../../../src/queue/email-queue.js';
import { EmailEnqueuer } from '../../../src/queue/enqueue.js';
import { redisClient } from '../../../src/queue/redis.js';

/** A test's view of its queue: counts, jobs, and a direct enqueue. */
export class QueueProbe {
  private readonly redis;
  readonly queue: EmailQueue;
  private readonly enqueuer: EmailEnqueuer;

  constructor(config: Config) {
    this.redis = redisClient(config.queue.redis_url!, 'worker');
    this.queue = openEmailQueue(this.redis, config.queue);
    this.enqueuer = new EmailEnqueuer(this.redis, config.queue, config.mute);
  }

  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  }

  enqueue(job: EmailJob): Promise<string> {
    return this.enqueuer.enqueue(job);
  }

  async close(): Promise<void> {
    await this.enqueuer.close();
    await this.queue.close();
    this.redis.disconnect();
  }
}
