import type { Redis } from 'ioredis';
import type { MuteTarget } from '../email/policy/mute-store.js';
import { openEmailQueue } from '../email/queue/email-queue.js';
import { QueueKeys } from '../email/queue/keys.js';
import type { QueueConfig } from '../config/schema.js';
import { deferredNotes, type EmailBullJob } from './queue-jobs.js';

/** delayed jobs looked at, at most, when a mute is lifted */
const LOOKED_AT = 10_000;

/**
 * After an unmute: the jobs that a mute of this target deferred go now (promoted out of the delayed set), rather
 * than at the end the mute had, or at the worker's next hourly look. The worker checks the mutes again first.
 */
export async function releaseDeferred(redis: Redis, cfg: QueueConfig, t: MuteTarget): Promise<number> {
  const queue = openEmailQueue(redis, cfg);
  try {
    const delayed = (await queue.getDelayed(0, LOOKED_AT - 1)) as EmailBullJob[];
    const mine = delayed.filter((j) => (t.kind === 'customer' ? j.data?.customer?.id === t.id : j.data?.ip === t.ip));
    const notes = await deferredNotes(redis, new QueueKeys(cfg.name), mine);
    let n = 0;
    for (const [i, j] of mine.entries()) {
      if (notes[i] === null) continue;
      // promoted meanwhile by the worker's own timer: nothing to do
      await j.promote().then(() => n++, () => {});
    }
    return n;
  } finally {
    await queue.close().catch(() => {});
  }
}
