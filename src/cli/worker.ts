import { UserError } from '../common/user-error.js';
import { loadConfig } from '../config/load.js';
import { requireOwnIdentity } from '../email/identity.js';
import { closeRedis, connectOrFail, redactUrl, requireRedisUrl, sentinelOf } from '../email/queue/redis.js';
import { configuredRender } from '../email/render/renderer.js';
import { EmailWorker } from '../worker/email-worker.js';
import { type LogFormat, processLogger } from '../telemetry/log-format.js';
import { smtpReason, smtpSender } from '../worker/smtp-transport.js';

/** sysexits' EX_TEMPFAIL: Redis unreachable at start, worth retrying (systemd does; 2, a user error, it does not). */
export const EXIT_REDIS_UNREACHABLE = 75;

/** `arpwarden worker`: sends the queued warning emails until SIGTERM/SIGINT, then finishes the ones being sent. */
export async function workerCommand(opts: { config?: string; logFormat?: LogFormat }): Promise<number> {
  const config = loadConfig(opts.config);
  // customers never get mail signed by the example identity: refused before anything connects (exit 2)
  requireOwnIdentity(config.email, opts.config);
  // Redis must answer at start (systemd restarts a worker that exits 75); later outages are waited out
  const url = requireRedisUrl(config, opts.config, 'worker');
  try {
    await closeRedis(await connectOrFail(url, sentinelOf(config.queue)));
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    process.stderr.write(`arpwarden: ${e.message}\n`);
    return EXIT_REDIS_UNREACHABLE;
  }
  const log = processLogger({ format: opts.logFormat, process: 'worker', fd: 1 });
  const sender = smtpSender(config.smtp);
  const worker = new EmailWorker({ config, render: configuredRender(config.email), sender, log });
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
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
