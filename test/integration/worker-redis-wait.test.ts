/**
 * `arpwarden worker` started while Redis is away: it waits for it, a line each try at a growing but bounded interval,
 * and starts once Redis is back (a long outage at boot never leaves the unit failed by systemd's start limit); a stop
 * during the wait ends it at once with exit 0; a SIGHUP is told and ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, removeConfigs, writeConfig } from './helpers/cli.js';
import { RedisServer } from './helpers/redis-server.js';
import { testConfig } from './helpers/setup.js';

describe('the worker with Redis away at start', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
    await redis.stop();
  });
  afterAll(async () => {
    await redis?.close();
    removeConfigs();
  });

  it('waits, one line per try, and starts once Redis answers', async () => {
    const worker = new CliProcess(['worker', '--config', writeConfig(testConfig(redis.url, 1)), '--log-format', 'pretty']);
    try {
      await worker.waitOutput(/trying again in 2 s\n/);
      const waits = worker.output.match(/worker: redis redis:\/\/127\.0\.0\.1:\d+: connection refused; the queue is not reachable, trying again in \d+ s\n/g);
      expect(waits?.slice(0, 2).map((l) => l.replace(/^.*trying/, 'trying'))).toEqual(['trying again in 1 s\n', 'trying again in 2 s\n']);
      await redis.up();
      await worker.waitOutput(/worker: queue \S+ at redis:/);
      // a HUP meant for the capture daemons does not stop it (mid-send, an email would go twice)
      worker.kill('SIGHUP');
      await worker.waitOutput(/worker: SIGHUP: nothing to reload/);
      expect([worker.proc.exitCode, worker.proc.signalCode]).toEqual([null, null]);
      worker.kill('SIGTERM');
      expect((await worker.exited).code).toBe(0);
    } finally {
      worker.kill('SIGKILL');
      await redis.stop();
    }
  }, 30_000);

  it('a SIGTERM while it waits stops it at once, exit 0', async () => {
    const worker = new CliProcess(['worker', '--config', writeConfig(testConfig(redis.url, 1)), '--log-format', 'json']);
    try {
      await worker.waitOutput(/trying again in 1 s/);
      const t0 = Date.now();
      worker.kill('SIGTERM');
      expect((await worker.exited).code).toBe(0);
      expect(Date.now() - t0).toBeLessThan(3_000);
      const lines = worker.output.trimEnd().split('\n').map((l) => JSON.parse(l) as { level: string; msg: string });
      expect(lines[0]).toMatchObject({ level: 'warn', msg: expect.stringMatching(/connection refused; the queue is not reachable, trying again in 1 s$/) });
      expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'worker: SIGTERM while waiting for Redis: stopped' });
    } finally {
      worker.kill('SIGKILL');
    }
  }, 30_000);
});
