import type { LogFields, Logger, LogLevel } from './logger.js';
import type { CounterId, Telemetry } from './telemetry.js';

/** What the daemon tells its operators about itself. Each event is logged once and counted (`events_total{type}`). */
export type DaemonEvent =
  /** `state`: where the open incidents are kept across a restart, in words (`state file ...`, `state in redis ... key ...`, `no state kept`) */
  | { type: 'capture_started'; interface: string; filter: string; state: string }
  | { type: 'capture_stopped'; interface: string; frames: number }
  /** the capture's handle failed (the interface disappeared): the daemon exits non-zero so that systemd restarts it */
  | { type: 'capture_failed'; interface: string; reason: string; frames: number }
  /** `changes`: what the reload changed, in words (customers +1 -0, servers +0 -0, IPs +3 -1) */
  | { type: 'inventory_reloaded'; file: string; changes: string }
  | { type: 'inventory_refused'; file: string; reason: string }
  /** SIGHUP read the configuration again: `changes` the thresholds taken (windows and incidents carry on) */
  | { type: 'config_reloaded'; file: string; changes: string }
  | { type: 'config_refused'; file: string; reason: string }
  /** keys of the configuration file that differ from the running daemon's and that only a restart takes, comma-separated */
  | { type: 'config_needs_restart'; file: string; keys: string }
  | { type: 'sink_notice'; sink: string; level: 'info' | 'warn'; message: string }
  | { type: 'web_listening'; url: string; token: boolean }
  /** the open incidents of the last run, open again (same ids: nothing is told or mailed twice) */
  | { type: 'state_restored'; store: string; incidents: number; packet_time: string }
  /** a state that cannot be read as ours (a file or a Redis key): renamed aside, the daemon starts afresh */
  | { type: 'state_set_aside'; store: string; reason: string; moved_to: string }
  /** the state's store (Redis) did not answer at start: the daemon starts with no state */
  | { type: 'state_unreachable'; store: string; reason: string }
  /** the state could not be written (told once until it can again: `state_saved`) */
  | { type: 'state_save_failed'; store: string; reason: string }
  | { type: 'state_saved'; store: string; incidents: number }
  /** a save that had timed out reached the store after a newer one and was refused there (nothing lost) */
  | { type: 'state_save_stale'; store: string; reason: string }
  /** the kernel's drop counter grew: `dropped` since the last line, `total` since start */
  | { type: 'kernel_dropping'; interface: string; dropped: number; total: number }
  /** packet time is ahead of the clock by `ahead_seconds` (the clock went back): detection stands still until it catches up */
  | { type: 'clock_behind'; interface: string; packet_time: string; ahead_seconds: number }
  | { type: 'clock_in_step'; interface: string };

export type DaemonEventType = DaemonEvent['type'];

interface EventDefinition<E extends DaemonEvent> {
  level: (e: E) => LogLevel;
  message: (e: E) => string;
}

type Definitions = { [T in DaemonEventType]: EventDefinition<Extract<DaemonEvent, { type: T }>> };

/** One line per event type: how it is logged. The messages keep the wording operators know; the fields are the event's own. */
const EVENTS: Definitions = {
  capture_started: { level: () => 'info', message: (e) => `capturing on ${e.interface} (${e.filter}), ${e.state}, Ctrl-C to stop` },
  capture_stopped: { level: () => 'info', message: (e) => `stopped capturing on ${e.interface} after ${e.frames} frames` },
  capture_failed: {
    level: () => 'error',
    message: (e) => `capture on ${e.interface} failed after ${e.frames} frames: ${e.reason}; exiting with status 1 (systemd restarts the unit)`,
  },
  inventory_reloaded: { level: () => 'info', message: (e) => `reloaded ${e.file}: ${e.changes}` },
  // a bad inventory never replaces a good one
  inventory_refused: { level: () => 'warn', message: (e) => `kept the last good inventory: ${e.reason}` },
  config_reloaded: { level: () => 'info', message: (e) => `configuration ${e.file} reloaded: ${e.changes}` },
  config_refused: { level: () => 'warn', message: (e) => `kept the running configuration: ${e.reason}` },
  config_needs_restart: {
    level: () => 'warn',
    message: (e) => `configuration ${e.file}: ${e.keys} changed, which only a restart takes (the running daemon keeps the old values)`,
  },
  sink_notice: { level: (e) => e.level, message: (e) => `${e.sink}: ${e.message}` },
  state_restored: { level: () => 'info', message: (e) => `restored ${e.incidents} open incidents from the ${e.store} (packet time ${e.packet_time})` },
  state_set_aside: { level: () => 'warn', message: (e) => `${e.store} not used: ${e.reason}; kept as ${e.moved_to}, starting afresh` },
  state_unreachable: { level: () => 'warn', message: (e) => `${e.store} not read: ${e.reason}; starting with no state (open incidents of the last run open again, the cooldowns keep their emails from repeating)` },
  state_save_failed: { level: () => 'warn', message: (e) => `cannot save the state: ${e.reason}; a restart now would forget the open incidents (retrying)` },
  state_saved: { level: () => 'info', message: (e) => `${e.store}: saved again (${e.incidents} open incidents)` },
  state_save_stale: { level: () => 'warn', message: (e) => `${e.store}: ${e.reason} and was not used; the newer state stays` },
  kernel_dropping: {
    level: () => 'warn',
    message: (e) => `the kernel dropped ${e.dropped} frames on ${e.interface} (${e.total} since start): the capture does not keep up (docs/operations.md, "Kernel drops")`,
  },
  clock_behind: {
    level: () => 'warn',
    message: (e) => `packet time on ${e.interface} (${e.packet_time}) is ${e.ahead_seconds} s ahead of the clock: it went back, or the state was saved under a clock that was ahead; `
      + `until it catches up, frames count as of that time, so the windows do not slide and no incident resolves (docs/operations.md, "Clock")`,
  },
  clock_in_step: { level: () => 'info', message: (e) => `the clock has caught up with packet time on ${e.interface}: detection follows the frames' time again` },
  web_listening: { level: () => 'info', message: (e) => `web API on ${e.url}${e.token ? ' (bearer token required)' : ''}` },
};

/** Keys the JSON logger writes itself: a fact of the same name (sink_notice's `level`) would be a second one in the line. */
const LOGGER_KEYS: ReadonlySet<string> = new Set(['level', 'time', 'msg', 'pid', 'host', 'process']);

/** The event as log fields: its type under `event`, its facts beside it (a JSON log keeps them). */
function eventFields(e: DaemonEvent): LogFields {
  const { type, ...facts } = e;
  return { event: type, ...Object.fromEntries(Object.entries(facts).filter(([k]) => !LOGGER_KEYS.has(k))) };
}

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
    this.log[def.level(e)](def.message(e), eventFields(e));
    for (const l of this.listeners) l(e);
  }

  on(listener: (e: DaemonEvent) => void): void {
    this.listeners.push(listener);
  }
}
