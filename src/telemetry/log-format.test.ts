import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../test/helpers/temp-dir.js';
import { DaemonEvents } from './events.js';
import { jsonLogger } from './json-logger.js';
import { defaultLogFormat } from './log-format.js';
import { Telemetry } from './telemetry.js';

describe('log format', () => {
  it('JSON under systemd (JOURNAL_STREAM set), lines for a person otherwise', () => {
    expect(defaultLogFormat({ JOURNAL_STREAM: '8:12345' })).toBe('json');
    expect(defaultLogFormat({})).toBe('pretty');
    expect(defaultLogFormat({ JOURNAL_STREAM: '' })).toBe('pretty');
  });

  it('the JSON logger writes one object per line: level by name, ISO time, process, pid, host, message, the event\'s own fields', () => {
    const file = join(testTempDir('arpwarden-log-'), 'log');
    const fd = openSync(file, 'w');
    const log = jsonLogger({ process: 'capture', fd });
    const events = new DaemonEvents(new Telemetry(), log);
    events.emit({ type: 'inventory_reloaded', file: '/etc/arpwarden/inventory.yaml', changes: 'customers +1 -0' });
    log.debug('below the level: not written');
    log.error('redis: authentication failed');
    closeSync(fd);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 'info', process: 'capture', pid: process.pid, msg: 'reloaded /etc/arpwarden/inventory.yaml: customers +1 -0',
      event: 'inventory_reloaded', file: '/etc/arpwarden/inventory.yaml', changes: 'customers +1 -0',
    });
    expect(typeof lines[0].host).toBe('string');
    expect(Date.parse(String(lines[0].time))).not.toBeNaN();
    expect(String(lines[0].time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines[1]).toMatchObject({ level: 'error', msg: 'redis: authentication failed' });
  });

  it('an event with a level of its own (sink_notice) has one level key in its line, the event\'s', () => {
    const file = join(testTempDir('arpwarden-log-'), 'log');
    const fd = openSync(file, 'w');
    new DaemonEvents(new Telemetry(), jsonLogger({ process: 'capture', fd })).emit({ type: 'sink_notice', sink: 'emails', level: 'warn', message: 'redis: connection refused' });
    closeSync(fd);
    const line = readFileSync(file, 'utf8').trimEnd();
    expect(line.match(/"level":/g)).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({ level: 'warn', event: 'sink_notice', sink: 'emails', message: 'redis: connection refused', msg: 'emails: redis: connection refused' });
  });
});
