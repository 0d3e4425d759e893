import type { SinkContext, SinkHandle } from '../sinks.js';

/** How often the daemon looks at packet time for a due snapshot, ms (live packet time follows the wire, about the clock). */
const LOOK_EVERY_MS = 1000;

/**
 * Metrics to InfluxDB (metrics.influx, metrics.influx2): the telemetry snapshot every interval of packet time and at
 * the end. It starts without the server: points are held (the oldest dropped past metrics.buffer) until it answers.
 */
export async function metricsSink(ctx: SinkContext): Promise<SinkHandle | null> {
  const cfg = ctx.config.metrics;
  if (cfg.influx === undefined && cfg.influx2 === undefined) return null;
  const { metricsTransports } = await import('../../metrics/transports.js');
  const { MetricsWriter } = await import('../../metrics/metrics-writer.js');
  const notice = (level: 'info' | 'warn', message: string): void => ctx.events.emit({ type: 'sink_notice', sink: 'metrics', level, message });
  const transports = metricsTransports(cfg);
  const writer = new MetricsWriter(ctx.telemetry, transports, cfg, { notice });
  // a 1.x database is created if missing; a server that is not there yet (or refuses) is the pump's to say, once
  for (const t of transports) t.prepare().catch(() => {});
  const timer = setInterval(() => writer.observe(ctx.telemetry.snapshot().packetTimeMicros), LOOK_EVERY_MS);
  timer.unref();
  let closing: Promise<void> | null = null;
  return {
    sinks: [],
    close: () => {
      closing ??= (async () => {
        clearInterval(timer);
        writer.finish();
        await writer.close(cfg.flush_seconds * 1000);
      })();
      return closing;
    },
    report: () => writer.report(),
    health: () => writer.health(),
    json: () => writer.json(),
  };
}
