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
