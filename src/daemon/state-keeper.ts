import { isoMicros } from '../common/time.js';
import { UserError } from '../common/user-error.js';
import { saveIncident } from '../incidents/saved-incident.js';
import type { DetectionPipeline } from '../pipeline/detection.js';
import { STATE_VERSION } from '../state/daemon-state.js';
import type { StateFile } from '../state/state-file.js';
import type { DaemonEvents } from '../telemetry/events.js';

/**
 * Keeps one capture daemon's open incidents and packet time in its state file: restored at start,
 * written at an interval and at stop. One save at a time; a failed save is told once, and again
 * when saving works.
 */
export class StateKeeper {
  private saving: Promise<void> | null = null;
  private failing = false;

  constructor(
    private readonly file: StateFile,
    private readonly iface: string,
    private readonly detection: DetectionPipeline,
    private readonly events: DaemonEvents,
    private readonly sinks: { save(): Record<string, unknown>; restore(saved: Readonly<Record<string, unknown>>): void } | null = null,
  ) {}

  /** Before capture starts: the last run's open incidents, open again. */
  async restore(): Promise<void> {
    let r: Awaited<ReturnType<StateFile['load']>>;
    try {
      r = await this.file.load();
    } catch (e) {
      throw new UserError(e instanceof Error ? e.message : String(e));
    }
    if (r.kind === 'none') return;
    if (r.kind === 'set_aside') {
      this.events.emit({ type: 'state_set_aside', file: this.file.path, reason: r.problem, moved_to: r.movedTo });
      return;
    }
    if (r.state.interface !== this.iface) {
      throw new UserError(`state file ${this.file.path} holds the capture on ${r.state.interface}, not on ${this.iface}: give each capture daemon its own (state.file or --state)`);
    }
    this.detection.restore(r.state.incidents, r.state.packet_time);
    this.sinks?.restore(r.state.sinks);
    const t = r.state.packet_time;
    this.events.emit({ type: 'state_restored', file: this.file.path, incidents: r.state.incidents.length, packet_time: t > 0 ? isoMicros(t) : 'none' });
  }

  /** Writes the state now (waits for a save under way first). */
  async save(): Promise<void> {
    while (this.saving !== null) await this.saving;
    this.saving = this.write().finally(() => { this.saving = null; });
    await this.saving;
  }

  /** A save on the timer: skipped while one is under way (a slow disk must not pile them up). */
  tick(): void {
    if (this.saving === null) void this.save();
  }

  private async write(): Promise<void> {
    const open = this.detection.book.openIncidents();
    try {
      await this.file.save({
        version: STATE_VERSION, interface: this.iface, saved_at: new Date().toISOString(),
        packet_time: this.detection.detector.time, incidents: open.map(saveIncident), sinks: this.sinks?.save() ?? {},
      });
    } catch (e) {
      if (!this.failing) this.events.emit({ type: 'state_save_failed', file: this.file.path, reason: e instanceof Error ? e.message : String(e) });
      this.failing = true;
      return;
    }
    if (this.failing) this.events.emit({ type: 'state_saved', file: this.file.path, incidents: open.length });
    this.failing = false;
  }
}
