import { isoMicros } from '../common/time.js';
import { UserError } from '../common/user-error.js';
import { saveIncident } from '../incidents/saved-incident.js';
import type { DetectionPipeline } from '../pipeline/detection.js';
import { STATE_VERSION } from '../state/daemon-state.js';
import type { StateStore } from '../state/state-store.js';
import type { DaemonEvents } from '../telemetry/events.js';
import type { CounterId, Telemetry } from '../telemetry/telemetry.js';

/**
 * Keeps one capture daemon's open incidents and packet time in its state store (a file, or Redis):
 * restored at start, written at an interval and at stop. One save at a time; a failed save is counted,
 * told once, and told again when saving works.
 */
export class StateKeeper {
  private saving: Promise<void> | null = null;
  private failing = false;
  private readonly saved: CounterId | null;
  private readonly failed: CounterId | null;

  constructor(
    private readonly store: StateStore,
    private readonly iface: string,
    private readonly detection: DetectionPipeline,
    private readonly events: DaemonEvents,
    private readonly sinks: { save(): Record<string, unknown>; restore(saved: Readonly<Record<string, unknown>>): void } | null = null,
    private readonly telemetry: Telemetry | null = null,
  ) {
    const help = 'saves of the open incidents across restarts (state.file or Redis), by outcome';
    this.saved = telemetry?.counter('state_saves_total', help, { outcome: 'saved' }) ?? null;
    this.failed = telemetry?.counter('state_saves_total', help, { outcome: 'failed' }) ?? null;
  }

  /** Where the state is kept, in words (the start line says it). */
  get where(): string {
    return this.store.where;
  }

  /** Before capture starts: the last run's open incidents, open again (`signal`: a stop cuts a wait for the store short). */
  async restore(signal?: AbortSignal): Promise<void> {
    let r: Awaited<ReturnType<StateStore['load']>>;
    try {
      r = await this.store.load(signal);
    } catch (e) {
      throw new UserError(e instanceof Error ? e.message : String(e));
    }
    const store = this.store.where;
    if (r.kind === 'none') return;
    if (r.kind === 'unreachable') {
      this.events.emit({ type: 'state_unreachable', store, reason: r.problem });
      return;
    }
    if (r.kind === 'set_aside') {
      this.events.emit({ type: 'state_set_aside', store, reason: r.problem, moved_to: r.movedTo });
      return;
    }
    if (r.state.interface !== this.iface) {
      throw new UserError(`${store} holds the capture on ${r.state.interface}, not on ${this.iface}: give each capture daemon its own (state.file or --state)`);
    }
    this.detection.restore(r.state.incidents, r.state.packet_time);
    this.sinks?.restore(r.state.sinks);
    const t = r.state.packet_time;
    this.events.emit({ type: 'state_restored', store: r.from ?? store, incidents: r.state.incidents.length, packet_time: t > 0 ? isoMicros(t) : 'none' });
  }

  /** Writes the state now (waits for a save under way first). */
  async save(): Promise<void> {
    while (this.saving !== null) await this.saving;
    this.saving = this.write().finally(() => { this.saving = null; });
    await this.saving;
  }

  /** A save on the timer: skipped while one is under way (a slow disk or Redis must not pile them up). */
  tick(): void {
    if (this.saving === null) void this.save();
  }

  private async write(): Promise<void> {
    const open = this.detection.book.openIncidents();
    const store = this.store.where;
    let r: { setAside?: string };
    try {
      r = await this.store.save({
        version: STATE_VERSION, interface: this.iface, saved_at: new Date().toISOString(),
        packet_time: this.detection.detector.time, incidents: open.map(saveIncident), sinks: this.sinks?.save() ?? {},
      });
    } catch (e) {
      if (this.failed !== null) this.telemetry?.add(this.failed);
      if (!this.failing) this.events.emit({ type: 'state_save_failed', store, reason: e instanceof Error ? e.message : String(e) });
      this.failing = true;
      return;
    }
    if (this.saved !== null) this.telemetry?.add(this.saved);
    if (r.setAside !== undefined) {
      this.events.emit({ type: 'state_set_aside', store, reason: 'not read at start (the store was away), so not overwritten', moved_to: r.setAside });
    }
    if (this.failing) this.events.emit({ type: 'state_saved', store, incidents: open.length });
    this.failing = false;
  }
}
