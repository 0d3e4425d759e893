import { loadConfig } from '../config/load.js';
import { closeRedis, redactUrl } from '../email/queue/redis.js';
import { configuredRender } from '../email/render/renderer.js';
import { EmailWorker } from '../worker/email-worker.js';
import { type LogFormat, processLogger } from '../telemetry/log-format.js';
import { smtpSender } from '../worker/smtp-transport.js';
import { cliRedis } from './queue-access.js';

/** `arpwarden worker`: sends the queued warning emails until SIGTERM/SIGINT, then finishes the ones being sent. */
export async function workerCommand(opts: { config?: string; logFormat?: LogFormat }): Promise<number> {
  const config = loadConfig(opts.config);
  // Redis must answer at start (systemd restarts a worker that exits); later outages are waited out
  await closeRedis(await cliRedis(config, opts.config, 'worker'));
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
  const signal = await stopped;
  log.info(`worker: ${signal}: finishing the emails being sent`);
  await worker.close();
  log.info('worker: stopped');
  return 0;
}
