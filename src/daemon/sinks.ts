import type { Config } from '../config/schema.js';
import type { Incident, IncidentSink } from '../incidents/incident.js';
import type { DaemonEvents } from '../telemetry/events.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { emailSinks } from './sinks/email.js';
import { metricsSink } from './sinks/metrics.js';
import { streamSink } from './sinks/stream.js';
import { webhookSink } from './sinks/webhook.js';

/** What every sink definition is given: the configuration, the command's options, telemetry and events. */
export interface SinkContext {
  config: Config;
  format: 'text' | 'json';
  out: NodeJS.WritableStream;
  /** write the warning emails into this directory (embedded mode) */
  outbox?: string;
  configFile?: string;
  events: DaemonEvents;
  telemetry: Telemetry;
}

/** A running sink (or group of sinks) as the daemon holds it. */
export interface SinkHandle {
  sinks: IncidentSink[];
  close(): Promise<void>;
  /** lines for the exit summary, after close() */
  report(): string[];
  /** its part of the JSON summary, under its definition's name */
  json(): unknown;
  /** whether it does its job now (its server answers), for /readyz; absent: always */
  health?(): SinkHealth;
  /** what it must keep across a restart (the state file's `sinks.NAME`); absent: nothing. `open`: the incidents restored open */
  state?: { save(): unknown; restore(saved: unknown, open: readonly Readonly<Incident>[]): void };
  /** after close(): what it failed to do, as a line, or null; a failure makes the exit status non-zero */
  failure?(): string | null;
}

export interface SinkHealth {
  ok: boolean;
  /** in words: where it writes, and what is held when it cannot */
  detail: string;
}

/** One kind of sink: on when the configuration (or the command) asks for it, null otherwise. */
export interface SinkDefinition {
  readonly name: string;
  create(ctx: SinkContext): Promise<SinkHandle | null>;
  /** it reads telemetry, not incidents: it runs with detection off too (capture without --inventory) */
  readonly withoutDetection?: boolean;
}

/** Every sink the capture daemon can feed, one line each. */
export const DAEMON_SINKS: readonly SinkDefinition[] = [
  { name: 'stream', create: streamSink },
  { name: 'emails', create: emailSinks },
  { name: 'metrics', create: metricsSink, withoutDetection: true },
  { name: 'webhook', create: webhookSink },
];

export interface DaemonSinks {
  sinks: IncidentSink[];
  close(): Promise<void>;
  report(): string[];
  json(): Record<string, unknown>;
  /** each running sink's state, by name */
  health(): ({ name: string } & SinkHealth)[];
  /** what the sinks keep across a restart, by sink name (the state file's `sinks`) */
  saveState(): Record<string, unknown>;
  restoreState(saved: Readonly<Record<string, unknown>>, open: readonly Readonly<Incident>[]): void;
  /** after close(): each sink's failure line (empty: none failed) */
  failures(): string[];
}

/** The capture daemon's sinks, from the configuration, in one place. With detection off there are no incidents, so only the sinks of telemetry. */
export async function daemonSinks(ctx: SinkContext & { detection: boolean }, definitions = DAEMON_SINKS): Promise<DaemonSinks> {
  const running: { name: string; handle: SinkHandle }[] = [];
  try {
    for (const d of definitions) {
      if (!ctx.detection && d.withoutDetection !== true) continue;
      const handle = await d.create(ctx);
      if (handle !== null) running.push({ name: d.name, handle });
    }
  } catch (e) {
    // a later sink failed to start: the earlier ones must not keep the process alive
    await Promise.all(running.map((r) => r.handle.close()));
    throw e;
  }
  return {
    sinks: running.flatMap((r) => r.handle.sinks),
    close: async () => { await Promise.all(running.map((r) => r.handle.close())); },
    report: () => running.flatMap((r) => r.handle.report()),
    saveState: () => {
      const out: Record<string, unknown> = {};
      for (const r of running) if (r.handle.state !== undefined) out[r.name] = r.handle.state.save();
      return out;
    },
    restoreState: (saved, open) => {
      for (const r of running) if (saved[r.name] !== undefined) r.handle.state?.restore(saved[r.name], open);
    },
    health: () => running.map((r) => ({ name: r.name, ...(r.handle.health?.() ?? { ok: true, detail: 'running' }) })),
    failures: () => running.flatMap((r) => r.handle.failure?.() ?? []).filter((l): l is string => l !== null),
    json: () => {
      const out: Record<string, unknown> = {};
      for (const r of running) {
        const j = r.handle.json();
        if (j !== undefined) out[r.name] = j;
      }
      return out;
    },
  };
}
