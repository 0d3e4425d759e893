import fs from 'node:fs';
import { UserError } from '../common/user-error.js';
import type { Config } from '../config/schema.js';
import type { IncidentSink } from '../incidents/incident.js';
import { redactUrl } from '../queue/redis.js';
import { OutboxSink, type OutboxSinkStats } from '../sinks/outbox-sink.js';
import { QueueSink, type QueueSinkStats } from '../sinks/queue-sink.js';
import { cliRedis } from './queue-access.js';

export interface EmailSinkOptions {
  /** write the emails into this directory as .eml files (embedded mode) */
  outbox?: string;
  /** put the email jobs on the queue in Redis */
  enqueue: boolean;
  /** Redis must answer now (replay), or may come later while jobs are held (capture) */
  redisNow: boolean;
  configFile?: string;
  log: (line: string) => void;
}

export interface EmailSinks {
  sinks: IncidentSink[];
  close(): Promise<void>;
  /** one line per sink, after close() */
  report(): string[];
  json(): { outbox?: OutboxSinkStats & { dir: string }; queue?: QueueSinkStats & { name: string } };
}

/** The sinks that turn incidents into emails, as replay and capture are asked for them. */
export async function emailSinks(config: Config, opts: EmailSinkOptions): Promise<EmailSinks> {
  let outbox: OutboxSink | null = null;
  let queue: QueueSink | null = null;
  if (opts.outbox !== undefined) {
    const dir = opts.outbox;
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (e) {
      throw new UserError(`--outbox ${dir}: ${(e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
    }
    const { configuredRender } = await import('../worker/renderer.js');
    outbox = new OutboxSink(dir, configuredRender(config.email), config, opts.log);
  }
  if (opts.enqueue) {
    // a replay says at once that Redis is not there; a capture daemon starts anyway and holds the jobs
    const probe = opts.redisNow ? await cliRedis(config, opts.configFile, '--enqueue') : null;
    probe?.disconnect();
    queue = new QueueSink(config, opts.log);
  }
  const sinks: IncidentSink[] = [outbox, queue].filter((s): s is OutboxSink | QueueSink => s !== null);
  return {
    sinks,
    async close() {
      await Promise.all(sinks.map((s) => s.close()));
    },
    report() {
      const lines: string[] = [];
      if (outbox !== null) {
        const s = outbox.stats;
        lines.push(`emails: ${s.written} written to ${outbox.outbox.dir} (already there ${s.exists}, cooldown ${s.cooldown}, muted ${s.muted}, failed ${s.failed}, dropped ${s.dropped})`);
      }
      if (queue !== null) {
        const s = queue.stats;
        lines.push(`emails: ${s.enqueued} enqueued on ${config.queue.name} at ${redactUrl(config.queue.redis_url!)} (cooldown ${s.cooldown}, muted ${s.muted}, dropped ${s.dropped})`);
      }
      return lines;
    },
    json() {
      return {
        ...(outbox !== null ? { outbox: { dir: outbox.outbox.dir, ...outbox.stats } } : {}),
        ...(queue !== null ? { queue: { name: config.queue.name, ...queue.stats } } : {}),
      };
    },
  };
}
