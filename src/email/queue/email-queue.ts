import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueConfig } from '../../config/schema.js';
import type { EmailJob } from '../job.js';

/** The result a worker stores on a completed job. */
export type EmailJobResult =
  | { status: 'sent'; messageId: string; response: string; sentAt: string }
  | { status: 'already-sent'; messageId: string; sentAt: string }
  | { status: 'muted'; reason: string }
  /** it met a mute, waited for its end, and its incident had resolved meanwhile: no email */
  | { status: 'muted-resolved'; reason: string };

export type EmailQueue = Queue<EmailJob, EmailJobResult, 'email'>;

export const JOB_NAME = 'email';

/**
 * The BullMQ queue of warning emails on a connection we own (the caller closes it). Every job gets
 * the configured tries with exponential backoff; completed jobs are kept `keep_days` (their ids keep
 * later adds of the same incident no-ops), failed ones stay until retried.
 */
export function openEmailQueue(connection: Redis, cfg: QueueConfig): EmailQueue {
  const queue: EmailQueue = new Queue<EmailJob, EmailJobResult, 'email'>(cfg.name, {
    connection,
    defaultJobOptions: {
      attempts: cfg.attempts,
      backoff: { type: 'exponential', delay: Math.round(cfg.backoff_seconds * 1000) },
      removeOnComplete: { age: Math.round(cfg.keep_days * 86400) },
      removeOnFail: false,
    },
  });
  // failures surface through the calls that fail; an 'error' event with no listener would crash
  queue.on('error', () => {});
  return queue;
}
