import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FileSource } from '../../capture/file-source.js';
import { configSchema } from '../../config/schema.js';
import { loadInventory } from '../../inventory/load.js';
import { replayFile } from '../../pipeline/replay.js';
import { DaemonEvents } from '../../telemetry/events.js';
import { memoryLogger } from '../../telemetry/logger.js';
import { Telemetry } from '../../telemetry/telemetry.js';
import { daemonSinks } from '../sinks.js';
import { emailSinks } from './email.js';

const FIXTURES = path.join(import.meta.dirname, '../../../fixtures');

describe('the email sink definition, with an outbox', () => {
  it('an email it could not write is a failure line after close (the capture exits non-zero on it)', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-hfiles-sink-'));
    const outbox = path.join(tmp, 'outbox');
    const telemetry = new Telemetry();
    const ctx = { config: configSchema.parse({}), format: 'text' as const, out: new PassThrough(), events: new DaemonEvents(telemetry, memoryLogger()), telemetry, outbox };
    try {
      const sinks = await daemonSinks({ ...ctx, detection: true }, [{ name: 'emails', create: emailSinks }]);
      // the directory goes away under the running daemon
      fs.rmSync(outbox, { recursive: true });
      await replayFile(new FileSource(path.join(FIXTURES, 'captures/case1-alias-netmask.pcap')), ctx.config, loadInventory(path.join(FIXTURES, 'inventory.yaml')), sinks.sinks);
      await sinks.close();
      const failures = sinks.failures();
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(new RegExp(`^--outbox ${outbox}: 1 email not written \\(last: outbox: .*\\.eml: ENOENT`));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('no failure when every email was written', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-hfiles-sink-'));
    const telemetry = new Telemetry();
    const ctx = { config: configSchema.parse({}), format: 'text' as const, out: new PassThrough(), events: new DaemonEvents(telemetry, memoryLogger()), telemetry, outbox: tmp };
    try {
      const sinks = await daemonSinks({ ...ctx, detection: true }, [{ name: 'emails', create: emailSinks }]);
      await replayFile(new FileSource(path.join(FIXTURES, 'captures/case1-alias-netmask.pcap')), ctx.config, loadInventory(path.join(FIXTURES, 'inventory.yaml')), sinks.sinks);
      await sinks.close();
      expect(sinks.failures()).toEqual([]);
      expect(fs.readdirSync(tmp)).toHaveLength(1);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('the email sink definition, with a queue', () => {
  it('Redis away is a warning (sink_notice at warn): the jobs are held, and an operator should know', async () => {
    const telemetry = new Telemetry();
    const log = memoryLogger();
    const ctx = { config: configSchema.parse({ queue: { redis_url: 'redis://127.0.0.1:1' } }), format: 'text' as const, out: new PassThrough(), events: new DaemonEvents(telemetry, log), telemetry };
    const handle = await emailSinks(ctx);
    try {
      const end = Date.now() + 10_000;
      while (!log.lines.some((l) => l.msg.includes('holding jobs')) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      const notice = log.lines.find((l) => l.msg.includes('holding jobs'));
      expect(notice).toMatchObject({ level: 'warn', msg: expect.stringMatching(/^emails: email queue: redis redis:\/\/127\.0\.0\.1:1: connection refused; holding jobs/) });
      expect(notice?.fields).toMatchObject({ event: 'sink_notice', sink: 'emails' });
    } finally {
      await handle?.close();
    }
  });
});
