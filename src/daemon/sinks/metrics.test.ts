import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { DaemonEvents } from '../../telemetry/events.js';
import { memoryLogger } from '../../telemetry/logger.js';
import { sampleValue, Telemetry } from '../../telemetry/telemetry.js';
import { metricsSink } from './metrics.js';

function context(metrics: object) {
  const telemetry = new Telemetry();
  const log = memoryLogger();
  return { log, telemetry, ctx: { config: configSchema.parse({ metrics }), format: 'text' as const, out: new PassThrough(), events: new DaemonEvents(telemetry, log), telemetry } };
}

describe('the metrics sink definition', () => {
  it('is off without metrics.influx or metrics.influx2', async () => {
    expect(await metricsSink(context({}).ctx)).toBeNull();
  });

  it('starts although the server is not there, holds the points, counts them as dropped at exit, says it once', async () => {
    // port 1 on loopback: nothing listens there
    const { ctx, log, telemetry } = context({ influx: { url: 'http://127.0.0.1:1/arpwarden' }, flush_seconds: 0.2, retry_seconds: 0.01 });
    telemetry.clock(() => 1_790_000_000e6);
    const handle = (await metricsSink(ctx))!;
    expect(handle).not.toBeNull();
    expect(handle.sinks).toEqual([]);
    await handle.close();
    const stats = handle.json() as { influx: { written: number; dropped: number } };
    expect(stats.influx.written).toBe(0);
    expect(stats.influx.dropped).toBeGreaterThan(0);
    expect(sampleValue(telemetry.snapshot(), 'metrics_points_dropped_total', { target: 'influx' })).toBe(stats.influx.dropped);
    expect(log.lines.filter((l) => l.msg.includes('is away'))).toHaveLength(1);
    expect(handle.report()[0]).toMatch(/^metrics: http:\/\/127\.0\.0\.1:1\/arpwarden: 0 points written, \d+ dropped, \d+ failed writes \(last: connection refused\)$/);
  });

  it('a password_env that is not set stops the start with one line', async () => {
    const { ctx } = context({ influx: { url: 'http://127.0.0.1:1/db', password_env: 'ARPWARDEN_TEST_UNSET_PW' } });
    await expect(metricsSink(ctx)).rejects.toThrow('metrics.influx.password_env: the environment variable ARPWARDEN_TEST_UNSET_PW is not set');
  });
});

describe('the metrics configuration', () => {
  it('refuses a URL without a database, both password and password_env, influx2 without a token, a buffer under the batch', () => {
    expect(configSchema.safeParse({ metrics: { influx: { url: 'http://h:8086' } } }).success).toBe(false);
    expect(configSchema.safeParse({ metrics: { influx: { url: 'http://h:8086/db', password: 'x', password_env: 'X' } } }).success).toBe(false);
    expect(configSchema.safeParse({ metrics: { influx2: { url: 'http://h:8086', org: 'o', bucket: 'b' } } }).success).toBe(false);
    expect(configSchema.safeParse({ metrics: { buffer: 10, batch_size: 100 } }).success).toBe(false);
    expect(configSchema.safeParse({ metrics: { influx: { url: 'http://u:p@h:8086/db' }, influx2: { url: 'https://h', org: 'o', bucket: 'b', token_env: 'T' } } }).success).toBe(true);
  });
});
