import type { FrameSource } from '../capture/frame-source.js';
import { UserError } from '../common/user-error.js';
import type { MetricsConfig } from '../config/schema.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { Influx1Transport } from './influx1.js';
import { type Influx2Config, Influx2Transport } from './influx2.js';
import { MetricsWriter } from './metrics-writer.js';
import { tickingSource } from './packet-ticks.js';
import type { PointTransport } from './point-transport.js';

/** A replay waits at least this long at the end for InfluxDB to take the points held, seconds. */
const REPLAY_FLUSH_SECONDS = 30;

export interface ReplayMetrics {
  /** the capture, telling the writer each interval of its packet time */
  source(s: FrameSource): FrameSource;
  /** the last snapshot, then waits for the points held; the summary's lines and how many points were not written */
  finish(): Promise<{ lines: string[]; notWritten: number; target: string; lastError: string | null }>;
  json(): unknown;
}

/** Where `replay` writes: `--influx URL` (1.x), `--influx2 URL` with its org, bucket and token (2.x/3.x), or both. */
export interface ReplayTargets {
  influx?: string;
  influx2?: Influx2Config;
}

/**
 * `replay --influx URL` / `--influx2 URL`: the capture's metrics on the capture's own timeline. A 1.x server is asked
 * first, so a wrong URL or a server that is not there ends the command before the replay, in one line (the 2.x write
 * API has no such check: its first write tells, and the points not written end the command with status 2).
 */
export async function replayMetrics(targets: string | ReplayTargets, cfg: MetricsConfig, telemetry: Telemetry): Promise<ReplayMetrics> {
  const t: ReplayTargets = typeof targets === 'string' ? { influx: targets } : targets;
  const transports: PointTransport[] = [];
  if (t.influx !== undefined) {
    const transport = new Influx1Transport({ ...cfg.influx, url: t.influx });
    try {
      await transport.prepare();
    } catch (e) {
      throw new UserError(`--influx: InfluxDB at ${transport.target} cannot be used: ${e instanceof Error ? e.message : String(e)}`);
    }
    transports.push(transport);
  }
  if (t.influx2 !== undefined) transports.push(new Influx2Transport(t.influx2, cfg.batch_size));
  const writer = new MetricsWriter(telemetry, transports, cfg);
  return {
    source: (s) => tickingSource(s, writer),
    finish: async () => {
      writer.finish();
      await writer.close(Math.max(cfg.flush_seconds, REPLAY_FLUSH_SECONDS) * 1000);
      const failed = writer.pumps.filter((p) => p.dropped > 0);
      return {
        lines: writer.report(),
        notWritten: writer.pumps.reduce((n, p) => n + p.dropped, 0),
        target: (failed.length > 0 ? failed : writer.pumps).map((p) => p.transport.target).join(', '),
        lastError: failed[0]?.lastError ?? null,
      };
    },
    // one target: its counts as before; both: by target
    json: () => {
      const j = writer.json();
      return transports.length === 1 ? j[transports[0].name] : j;
    },
  };
}
