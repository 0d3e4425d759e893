/**
 * The worker checks the SMTP relay once at start (nodemailer's verify: connect, EHLO, no mail), so that a
 * wrong host shows before the first email fails: one line, and it keeps running (the emails wait in the
 * queue). Against a real redis-server and a real SMTP server on loopback, and a port nothing listens on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, removeConfigs, writeConfig } from './helpers/cli.js';
import { freePort } from './helpers/ports.js';
import { RedisServer } from './helpers/redis-server.js';
import { testConfig } from './helpers/setup.js';
import { SmtpSink } from './helpers/smtp-sink.js';

describe('the worker checks the relay at start', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await RedisServer.start(); });
  afterAll(async () => { await redis?.close(); removeConfigs(); });

  it('a relay that answers: one line saying so', async () => {
    const smtp = new SmtpSink(await freePort());
    await smtp.start();
    const w = new CliProcess(['worker', '--config', writeConfig(testConfig(redis.url, smtp.port))]);
    try {
      await w.waitOutput(/worker: SMTP relay 127\.0\.0\.1:\d+ answers/);
      expect(smtp.delivered).toHaveLength(0);
    } finally {
      w.kill('SIGTERM');
      expect((await w.exited).code).toBe(0);
      await smtp.stop();
    }
  });

  it('a relay that is not there: one warning line naming it and why, and the worker goes on until stopped', async () => {
    const port = await freePort();
    const w = new CliProcess(['worker', '--config', writeConfig(testConfig(redis.url, port))]);
    try {
      await w.waitOutput(/worker: SMTP relay/);
      expect(w.output).toMatch(new RegExp(`worker: SMTP relay 127\\.0\\.0\\.1:${port}: connection refused; the emails wait in the queue and are retried until it answers`));
      await new Promise((r) => setTimeout(r, 500));
      expect(w.proc.exitCode).toBeNull();
    } finally {
      w.kill('SIGTERM');
      expect((await w.exited).code).toBe(0);
    }
  });
});
