import { fileModeFor, prepareSafeDir } from '../common/safe-write.js';
import type { Config } from '../config/schema.js';
import type { Incident, IncidentSink } from '../incidents/incident.js';
import { exampleIdentityNotice, senderIdentity } from './identity.js';
import { groupMicros } from './job-group.js';
import { EmailNotifier } from './notifier/notifier.js';
import { OutboxTransport } from './notifier/outbox-transport.js';
import { QueueTransport } from './notifier/queue-transport.js';
import type { NoticeLog, NotifierStats } from './notifier/transport.js';
import { MemoryNotificationPolicy } from './policy/memory-policy.js';
import { RedisNotificationPolicy } from './policy/redis-policy.js';
import { QueueKeys } from './queue/keys.js';
import { connectOrFail, redisClient, requireRedisUrl, sentinelOf } from './queue/redis.js';
import type { RenderFn } from './render/mail.js';

export interface NotifierRequest {
  /** write the emails into this directory as .eml files (embedded mode) */
  outbox?: string;
  /** put the email jobs on the queue in Redis */
  enqueue: boolean;
  /** Redis must answer now (replay), or may come later while jobs are held (capture) */
  redisNow: boolean;
  /** named in the error when queue.redis_url is missing */
  configFile?: string;
  log: NoticeLog;
}

/** its transport is the outbox's own (the run's end reads its last failure) */
export type OutboxNotifier = EmailNotifier<'written' | 'exists' | 'failed'> & { readonly transport: OutboxTransport };
export type QueueNotifier = EmailNotifier<'enqueued'>;

export interface Notifiers {
  /** one notifier per transport asked for */
  sinks: IncidentSink[];
  close(): Promise<void>;
  /** one line per transport, after close() */
  report(): string[];
  /** after close(): the emails that could not be written, as one line, or null when none failed (the exit status says it too) */
  failure(): string | null;
  /** what must be kept across a restart: the policies' in memory (the outbox's cooldowns) by notifier, and under `unsent` the incidents whose email is not handed over yet */
  saveState(): Record<string, unknown>;
  /** `open`: the incidents restored open (those whose email was not handed over get it again) */
  restoreState(saved: Readonly<Record<string, unknown>>, open: readonly Readonly<Incident>[]): void;
  /** each transport's state, for /readyz */
  health(): { ok: boolean; detail: string }[];
  json(): { outbox?: NotifierStats<'written' | 'exists' | 'failed'> & Record<string, string | number>; queue?: NotifierStats<'enqueued'> & Record<string, string | number> };
}

/** The outbox notifier: .eml files in `dir`, the policy in memory on packet time. */
export function outboxNotifier(dir: string, render: RenderFn, config: Config, log: NoticeLog = () => {}, fileMode = 0o600): OutboxNotifier {
  return new EmailNotifier({
    transport: new OutboxTransport(dir, render, log, fileMode),
    policy: new MemoryNotificationPolicy(config.mute, config.queue.cooldown_hours),
    windowSeconds: config.detector.window_seconds, groupMicros: groupMicros(config), buffer: config.queue.buffer, log,
  }) as OutboxNotifier;
}

/** The queue notifier on its own `producer` connection to `queue.redis_url`, the policy in Redis. */
export function queueNotifier(config: Config, log: NoticeLog = () => {}): QueueNotifier {
  const url = config.queue.redis_url;
  if (url === undefined) throw new Error('queueNotifier: queue.redis_url is not set');
  const redis = redisClient(url, 'producer', sentinelOf(config.queue));
  return new EmailNotifier({
    transport: new QueueTransport(redis, config.queue, url),
    policy: new RedisNotificationPolicy(redis, new QueueKeys(config.queue.name), config.mute, config.queue.cooldown_hours),
    windowSeconds: config.detector.window_seconds, groupMicros: groupMicros(config), buffer: config.queue.buffer, log,
  });
}

/** The notifiers replay and capture are asked for: one line of error (UserError) for what the user got wrong. */
export async function createNotifier(config: Config, req: NotifierRequest): Promise<Notifiers> {
  let outbox: OutboxNotifier | null = null;
  let queue: QueueNotifier | null = null;
  if (req.outbox !== undefined) {
    // made if missing, refused if another user could plant files in it (the emails are written as root)
    const { dir, stat } = prepareSafeDir(req.outbox, `--outbox ${req.outbox}`, 'the emails');
    const { configuredRender } = await import('./render/renderer.js');
    const identity = senderIdentity(config.email);
    if (identity.example) req.log(exampleIdentityNotice(identity), 'warn');
    outbox = outboxNotifier(dir, configuredRender(config.email), config, req.log, fileModeFor(stat.mode));
  }
  if (req.enqueue) {
    const url = requireRedisUrl(config, req.configFile, '--enqueue');
    // a replay says at once that Redis is not there; a capture daemon starts anyway and holds the jobs
    if (req.redisNow) (await connectOrFail(url, sentinelOf(config.queue))).disconnect();
    queue = queueNotifier(config, req.log);
  }
  const sinks: IncidentSink[] = [outbox, queue].filter((s): s is OutboxNotifier | QueueNotifier => s !== null);
  return {
    sinks,
    async close() {
      await Promise.all(sinks.map((s) => s.close()));
    },
    saveState() {
      const out: Record<string, unknown> = {};
      const unsent: Record<string, unknown> = {};
      for (const n of [outbox, queue]) {
        if (n?.policy.saved !== undefined) out[n.name] = n.policy.saved();
        if (n !== null) unsent[n.name] = n.unsent();
      }
      // a key of its own: a version without it reads the cooldowns as before
      if (sinks.length > 0) out.unsent = unsent;
      return out;
    },
    restoreState(saved, open) {
      const unsent = saved.unsent;
      for (const n of [outbox, queue]) {
        if (n === null) continue;
        if (saved[n.name] !== undefined) n.policy.restore?.(saved[n.name]);
        // after the cooldowns: a job built again meets them
        if (typeof unsent === 'object' && unsent !== null && n.name in unsent) n.rejoin(open, (unsent as Record<string, unknown>)[n.name]);
      }
    },
    health() {
      return [outbox, queue].filter((s): s is OutboxNotifier | QueueNotifier => s !== null).map((s) => s.health());
    },
    report() {
      return [
        ...(outbox !== null ? [outbox.transport.report(outbox.stats())] : []),
        ...(queue !== null ? [queue.transport.report(queue.stats())] : []),
      ];
    },
    failure() {
      const lines: string[] = [];
      const failed = outbox?.stats().failed ?? 0;
      if (outbox !== null && failed > 0) {
        lines.push(`--outbox ${outbox.transport.outbox.dir}: ${failed} email${failed === 1 ? '' : 's'} not written (last: ${outbox.transport.lastFailure ?? 'unknown'})`);
      }
      const dropped = queue?.stats().dropped ?? 0;
      if (queue !== null && dropped > 0) {
        const more = dropped - queue.lost.length;
        lines.push(`queue ${queue.transport.describe().name}: ${dropped} email${dropped === 1 ? '' : 's'} never enqueued (Redis away, or the buffer full): `
          + `${queue.lost.join(', ')}${more > 0 ? ` and ${more} more` : ''}; their incidents are in the log; those still open are in the state (when it could be saved) and queued at the next start, and a replay of the capture with --enqueue queues them all`);
      }
      return lines.length === 0 ? null : lines.join('; ');
    },
    json() {
      return {
        ...(outbox !== null ? { outbox: { ...outbox.transport.describe(), ...outbox.stats() } } : {}),
        ...(queue !== null ? { queue: { ...queue.transport.describe(), ...queue.stats() } } : {}),
      };
    },
  };
}
