import type { FrameSource, PacketTimeObserver } from '../capture/frame-source.js';
import { UserError } from '../common/user-error.js';
import type { MetricsConfig } from '../config/schema.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { Influx1Transport } from './influx1.js';
import { type Influx2Config, Influx2Transport } from './influx2.js';
import { MetricsWriter } from './metrics-writer.js';
import { type PointTransport, WriteFailure } from './point-transport.js';

/** A replay waits at least this long at the end for InfluxDB to take the points held, seconds. */
const REPLAY_FLUSH_SECONDS = 30;

export interface ReplayMetrics {
  /** the capture, stopped if the server's check fails */
  source(s: FrameSource): FrameSource;
  /** told of the capture's packet time by the replay's frame loop (replayFile's `clock`): a snapshot each interval */
  readonly clock: PacketTimeObserver;
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
 * while the replay starts (the question took as long as a tenth of a replay of a million frames): a wrong URL or a
 * server that is not there stops the replay and ends the command in one line, before anything is printed; the points
 * wait for the answer. (The 2.x write API has no such check: its first write tells, and the points not written end the
 * command with status 2.)
 */
export async function replayMetrics(targets: string | ReplayTargets, cfg: MetricsConfig, telemetry: Telemetry): Promise<ReplayMetrics> {
  const t: ReplayTargets = typeof targets === 'string' ? { influx: targets } : targets;
  const transports: PointTransport[] = [];
  let checked: Promise<UserError | null> = Promise.resolve(null);
  if (t.influx !== undefined) {
    const transport = new Influx1Transport({ ...cfg.influx, url: t.influx });
    checked = transport.prepare().then(() => null,
      (e: unknown) => new UserError(`--influx: InfluxDB at ${transport.target} cannot be used: ${e instanceof Error ? e.message : String(e)}`));
    transports.push(afterCheck(transport, checked));
  }
  if (t.influx2 !== undefined) transports.push(new Influx2Transport(t.influx2, cfg.batch_size));
  const writer = new MetricsWriter(telemetry, transports, cfg);
  /** the check's refusal, once the writer is stopped (its points are not for this server) */
  const refusal = async (): Promise<UserError | null> => {
    const e = await checked;
    if (e !== null) await writer.close(0);
    return e;
  };
  return {
    source: (s) => stoppedIfRefused(s, checked, refusal),
    clock: writer,
    finish: async () => {
      const refused = await refusal();
      if (refused !== null) throw refused;
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

/** The transport, whose writes wait for the server's check (a refused check: the write fails, the replay ends anyway). */
function afterCheck(transport: PointTransport, checked: Promise<UserError | null>): PointTransport {
  return {
    name: transport.name,
    target: transport.target,
    prepare: () => transport.prepare(),
    write: async (points) => {
      const refused = await checked;
      if (refused !== null) throw new WriteFailure(refused.message, true);
      return transport.write(points);
    },
    close: () => transport.close(),
  };
}

/** The source, stopped as soon as the server's check fails; its run then rejects with the check's UserError. */
function stoppedIfRefused(source: FrameSource, checked: Promise<UserError | null>, refusal: () => Promise<UserError | null>): FrameSource {
  return {
    linkType: source.linkType,
    run: async (onFrame, signal) => {
      const stop = new AbortController();
      const onAbort = (): void => stop.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted === true) stop.abort();
      void checked.then((e) => { if (e !== null) stop.abort(); });
      try {
        const stats = await source.run(onFrame, stop.signal);
        const refused = stop.signal.aborted && signal?.aborted !== true ? await refusal() : null;
        if (refused !== null) throw refused;
        return stats;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}
