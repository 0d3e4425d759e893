import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { DaemonEvents } from '../telemetry/events.js';
import { memoryLogger } from '../telemetry/logger.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { daemonSinks, type SinkDefinition } from './sinks.js';

function ctx(detection: boolean) {
  const telemetry = new Telemetry();
  return { config: configSchema.parse({}), format: 'text' as const, out: new PassThrough(), events: new DaemonEvents(telemetry, memoryLogger()), telemetry, detection };
}

describe('the daemon\'s sinks with detection off (capture without --inventory)', () => {
  it('starts only the sinks that read telemetry (metrics), not those of incidents', async () => {
    const started: string[] = [];
    const def = (name: string, withoutDetection?: boolean): SinkDefinition => ({
      name, withoutDetection,
      create: async () => { started.push(name); return { sinks: [], close: async () => {}, report: () => [], json: () => undefined }; },
    });
    const defs = [def('stream'), def('metrics', true)];
    await (await daemonSinks(ctx(false), defs)).close();
    expect(started).toEqual(['metrics']);
    started.length = 0;
    await (await daemonSinks(ctx(true), defs)).close();
    expect(started).toEqual(['stream', 'metrics']);
  });
});
