/**
 * What the producers say about Redis: nothing while it is up; one line when it is down (at start
 * too, before any email is due, and from `capture`), one when it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueNotifier } from '../../src/email/create-notifier.js';
import { CliProcess, removeConfigs, runCli, writeConfig } from './helpers/cli.js';
import { waitFor } from './helpers/ports.js';
import { QueueProbe } from './helpers/queue-probe.js';
import { RedisServer } from './helpers/redis-server.js';
import { capturePath, INVENTORY, replayInto, testConfig } from './helpers/setup.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const DOWN = /email queue: redis redis:\/\/127\.0\.0\.1:\d+: connection refused; holding jobs \(at most \d+\) and retrying/;
const BACK = /email queue: redis redis:\/\/127\.0\.0\.1:\d+ is back/;
const root = process.getuid?.() === 0;

describe('Redis connection lines', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterAll(async () => {
    await redis?.close();
    removeConfigs();
  });

  it('replay --enqueue with Redis up: no line about Redis at all', async () => {
    const config = testConfig(redis.url, 25);
    const r = await runCli(['replay', capturePath('case1-alias-netmask.pcap'), '--inventory', INVENTORY, '--enqueue', '--config', writeConfig(config)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^emails: 1 enqueued /m);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/not connected|is back|holding jobs/);
  });

  it('a producer started while Redis is down: one line at once, none more while it stays down, one when it is back; the held job then goes', async () => {
    const config = testConfig(redis.url, 25);
    await redis.stop();
    const logs: string[] = [];
    const sink = queueNotifier(config, (l) => logs.push(l));
    try {
      await waitFor('the line saying Redis is down', () => logs.length > 0, 5000);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(DOWN);
      await replayInto('case1-alias-netmask.pcap', config, [sink]);
      await sleep(1500);
      expect(logs).toHaveLength(1);
      await redis.up();
      await waitFor('the held job to reach Redis', () => sink.stats().enqueued === 1, 20_000);
      await sleep(300);
      expect(logs).toHaveLength(2);
      expect(logs[1]).toMatch(BACK);
    } finally {
      await redis.ensureUp();
      await sink.close();
    }
    const probe = new QueueProbe(config);
    expect(await probe.counts()).toMatchObject({ waiting: 1 });
    await probe.close();
  });

  it.skipIf(!root && !process.env.CI)('capture started while Redis is down says so at start, and once more when it is back', async () => {
    const config = testConfig(redis.url, 25);
    await redis.stop();
    const capture = new CliProcess(['capture', '-i', 'lo', '--inventory', INVENTORY, '--config', writeConfig(config)]);
    try {
      await capture.waitOutput(DOWN, 10_000);
      await sleep(1500);
      expect(capture.output.match(new RegExp(DOWN.source, 'g'))).toHaveLength(1);
      await redis.up();
      await capture.waitOutput(BACK, 10_000);
      capture.kill('SIGTERM');
      expect((await capture.exited).code).toBe(0);
      expect(capture.output.match(new RegExp(BACK.source, 'g'))).toHaveLength(1);
    } finally {
      capture.kill('SIGKILL');
      await redis.ensureUp();
    }
  });
});
