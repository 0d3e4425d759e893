import { UserError } from '../common/user-error.js';
import { loadConfig } from '../config/load.js';
import { requireOwnIdentity } from '../email/identity.js';
import { WakeableSleep } from '../common/wakeable-sleep.js';
import { closeRedis, connectOrFail, redactUrl, redisRefused, requireRedisUrl, sentinelOf } from '../email/queue/redis.js';
import { configuredRender } from '../email/render/renderer.js';
import { EmailWorker } from '../worker/email-worker.js';
import { type LogFormat, processLogger } from '../telemetry/log-format.js';
import { smtpReason, smtpSender } from '../worker/smtp-transport.js';
import type { Logger } from '../telemetry/logger.js';
import { userErrorLine } from './user-facing.js';

/** sysexits' EX_TEMPFAIL: Redis refused the worker at start (its password), retried by systemd a bounded number of times. */
export const EXIT_REDIS_UNREACHABLE = 75;

/**
 * Redis away at start is waited for, tried again after 1 s, 2 s, 4 s... up to this (ms), a line each time: an outage
 * of any length at boot ends with the worker running, not with a unit that systemd's start limit left failed.
 */
export const REDIS_WAIT_MAX_MS = 30_000;

/** `arpwarden worker`: sends the queued warning emails until SIGTERM/SIGINT, then finishes the ones being sent. */
export async function workerCommand(opts: { config?: string; logFormat?: LogFormat }): Promise<number> {
  const config = loadConfig(opts.config);
  // customers never get mail signed by the example identity: refused before anything connects (exit 2)
  requireOwnIdentity(config.email, opts.config);
  const url = requireRedisUrl(config, opts.config, 'worker');
  const log = processLogger({ format: opts.logFormat, process: 'worker', fd: 1 });
  let signalled: string | null = null;
  const wait = new WakeableSleep();
  const stopped = new Promise<string>((resolve) => {
    const stop = (signal: string): void => { signalled = signal; wait.wake(); resolve(signal); };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  // a HUP meant for the capture daemons (`pkill -HUP arpwarden`) would kill the worker by default, mid-send: an email
  // sent but not yet marked done is sent again by the worker that takes it over
  const onHup = (): void => log.info('worker: SIGHUP: nothing to reload (the configuration is read at start: restart the worker to change it)');
  process.on('SIGHUP', onHup);
  // Redis away at start is waited out, as later outages are; Redis refusing the worker is not (exit 75)
  const reached = await waitForRedis(url, config.queue, log, wait, () => signalled);
  if (reached !== 'up') {
    if (reached.refused !== undefined) {
      await userErrorLine(reached.refused, { process: 'worker', logFormat: opts.logFormat });
      return EXIT_REDIS_UNREACHABLE;
    }
    log.info(`worker: ${signalled ?? 'stopped'} while waiting for Redis: stopped`);
    return 0;
  }
  const sender = smtpSender(config.smtp);
  const worker = new EmailWorker({ config, render: configuredRender(config.email), sender, log });
  await worker.ready();
  const s = config.smtp;
  log.info(`worker: queue ${config.queue.name} at ${redactUrl(config.queue.redis_url!)}, SMTP ${s.host}:${s.port}, at most ${s.rate_per_second} emails/s, ${s.max_connections} at once`);
  // the relay checked once at start, so that a wrong host or password shows before the first email fails; never an
  // exit. Its answer is moot once the worker stops (and would come after the last line): then it is not told.
  let stopping = false;
  void sender.verify?.().then(
    () => { if (!stopping) log.info(`worker: SMTP relay ${s.host}:${s.port} answers`); },
    (e: unknown) => { if (!stopping) log.warn(`worker: SMTP relay ${s.host}:${s.port}: ${smtpReason(e)}; the emails wait in the queue and are retried until it answers`); },
  );
  const signal = await stopped;
  stopping = true;
  log.info(`worker: ${signal}: finishing the emails being sent`);
  await worker.close();
  const c = worker.counts;
  log.info(`worker: sent ${c.sent}, already sent ${c['already-sent']}, muted ${c.muted}, muted-resolved ${c['muted-resolved']}, deferred ${c.deferred}, waited on another worker ${c.busy}, maybe-sent ${c['maybe-sent']}, failed tries ${c.failed}`);
  log.info('worker: stopped');
  return 0;
}

/** Tries Redis until it answers, a line each failed try; `refused`: it answered no (the password), so waiting is no use. */
async function waitForRedis(url: string, queue: Parameters<typeof sentinelOf>[0], log: Logger, wait: WakeableSleep, signalled: () => string | null): Promise<'up' | { refused?: string }> {
  for (let delay = 1000; ; delay = Math.min(delay * 2, REDIS_WAIT_MAX_MS)) {
    try {
      await closeRedis(await connectOrFail(url, sentinelOf(queue)));
      return 'up';
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      if (redisRefused(e)) return { refused: e.message };
      if (signalled() !== null) return {};
      log.warn(`worker: ${e.message}; the queue is not reachable, trying again in ${delay / 1000} s`);
    }
    await wait.sleep(delay);
    if (signalled() !== null) return {};
  }
}
