import type { FrameSource } from '../capture/frame-source.js';
import { UserError } from '../common/user-error.js';
import type { MetricsConfig } from '../config/schema.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { Influx1Transport } from './influx1.js';
import { MetricsWriter } from './metrics-writer.js';
import { tickingSource } from './packet-ticks.js';

/** A replay waits at least this long at the end for InfluxDB to take the points held, seconds. */
const REPLAY_FLUSH_SECONDS = 30;

export interface ReplayMetrics {
  /** the capture, telling the writer each interval of its packet time */
  source(s: FrameSource): FrameSource;
  /** the last snapshot, then waits for the points held; the summary's lines and how many points were not written */
  finish(): Promise<{ lines: string[]; notWritten: number; target: string; lastError: string | null }>;
  json(): unknown;
}

/**
 * `replay --influx URL`: the capture's metrics into InfluxDB 1.x on the capture's own timeline. The server is asked
 * first, so a wrong URL or a server that is not there ends the command before the replay, in one line.
 */
export async function replayMetrics(url: string, cfg: MetricsConfig, telemetry: Telemetry): Promise<ReplayMetrics> {
  const transport = new Influx1Transport({ ...cfg.influx, url });
  try {
    await transport.prepare();
  } catch (e) {
    throw new UserError(`--influx: InfluxDB at ${transport.target} cannot be used: ${e instanceof Error ? e.message : String(e)}`);
  }
  const writer = new MetricsWriter(telemetry, [transport], cfg);
  return {
    source: (s) => tickingSource(s, writer),
    finish: async () => {
      writer.finish();
      await writer.close(Math.max(cfg.flush_seconds, REPLAY_FLUSH_SECONDS) * 1000);
      const pump = writer.pumps[0];
      return { lines: writer.report(), notWritten: pump.dropped, target: transport.target, lastError: pump.lastError };
    },
    json: () => writer.json().influx,
  };
}
