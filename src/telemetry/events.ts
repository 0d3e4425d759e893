import type { LogFields, Logger, LogLevel } from './logger.js';
import type { CounterId, Telemetry } from './telemetry.js';

/** What the daemon tells its operators about itself. Each event is logged once and counted (`events_total{type}`). */
export type DaemonEvent =
  | { type: 'capture_started'; interface: string; filter: string }
  | { type: 'capture_stopped'; interface: string; frames: number }
  /** the capture's handle failed (the interface disappeared): the daemon exits non-zero so that systemd restarts it */
  | { type: 'capture_failed'; interface: string; reason: string; frames: number }
  /** `changes`: what the reload changed, in words (customers +1 -0, servers +0 -0, IPs +3 -1) */
  | { type: 'inventory_reloaded'; file: string; changes: string }
  | { type: 'inventory_refused'; file: string; reason: string }
  | { type: 'sink_notice'; sink: string; level: 'info' | 'warn'; message: string }
  | { type: 'web_listening'; url: string; token: boolean };

export type DaemonEventType = DaemonEvent['type'];

interface EventDefinition<E extends DaemonEvent> {
  level: (e: E) => LogLevel;
  message: (e: E) => string;
  fields: (e: E) => LogFields;
}

type Definitions = { [T in DaemonEventType]: EventDefinition<Extract<DaemonEvent, { type: T }>> };

/** One line per event type: how it is logged. The messages keep the wording operators know. */
const EVENTS: Definitions = {
  capture_started: { level: () => 'info', message: (e) => `capturing on ${e.interface} (${e.filter}), Ctrl-C to stop`, fields: () => ({}) },
  capture_stopped: { level: () => 'info', message: (e) => `stopped capturing on ${e.interface} after ${e.frames} frames`, fields: () => ({}) },
  capture_failed: {
    level: () => 'error',
    message: (e) => `capture on ${e.interface} failed after ${e.frames} frames: ${e.reason}; exiting with status 1 (systemd restarts the unit)`,
    fields: () => ({}),
  },
  inventory_reloaded: { level: () => 'info', message: (e) => `reloaded ${e.file}: ${e.changes}`, fields: () => ({}) },
  // a bad inventory never replaces a good one
  inventory_refused: { level: () => 'warn', message: (e) => `kept the last good inventory: ${e.reason}`, fields: () => ({}) },
  sink_notice: { level: (e) => e.level, message: (e) => `${e.sink}: ${e.message}`, fields: () => ({}) },
  web_listening: { level: () => 'info', message: (e) => `web API on ${e.url}${e.token ? ' (bearer token required)' : ''}`, fields: () => ({}) },
};

export const DAEMON_EVENT_TYPES = Object.keys(EVENTS) as DaemonEventType[];

/** Logs and counts daemon events; listeners (a page, a test) may follow them too. */
export class DaemonEvents {
  private readonly counters = new Map<DaemonEventType, CounterId>();
  private readonly listeners: ((e: DaemonEvent) => void)[] = [];

  constructor(private readonly telemetry: Telemetry, private readonly log: Logger) {
    for (const type of DAEMON_EVENT_TYPES) this.counters.set(type, telemetry.counter('events_total', 'daemon events, by type', { type }));
  }

  emit(e: DaemonEvent): void {
    this.telemetry.add(this.counters.get(e.type)!);
    const def = EVENTS[e.type] as EventDefinition<DaemonEvent>;
    const fields = def.fields(e);
    this.log[def.level(e)](def.message(e), Object.keys(fields).length > 0 ? fields : undefined);
    for (const l of this.listeners) l(e);
  }

  on(listener: (e: DaemonEvent) => void): void {
    this.listeners.push(listener);
  }
}
