import { isoMicros } from '../common/time.js';
import { UserError } from '../common/user-error.js';
import type { Incident } from '../incidents/incident.js';
import { saveIncident } from '../incidents/saved-incident.js';
import type { DetectionPipeline } from '../pipeline/detection.js';
import { STATE_VERSION } from '../state/daemon-state.js';
import { EncodedState, encodeIncident } from '../state/encoded-state.js';
import type { StateStore } from '../state/state-store.js';
import type { DaemonEvents } from '../telemetry/events.js';
import type { CounterId, Telemetry } from '../telemetry/telemetry.js';

/**
 * A save turns the open incidents into their saved form, and that into JSON, this long at a time between
 * frames (ms). Why: at once, the 3,064 incidents the bench capture leaves open held the capture's thread
 * 70–740 ms (their sample lines formatted the first time), past what the kernel ring holds at 800,000 frames/s.
 */
export const SAVE_SLICE_MS = 5;

/** What the sinks keep across a restart (DaemonSinks.saveState/restoreState); `open`: the incidents restored open. */
export interface SinkState {
  save(): Record<string, unknown>;
  restore(saved: Readonly<Record<string, unknown>>, open: readonly Readonly<Incident>[]): void;
}

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
    private readonly sinks: SinkState | null = null,
    private readonly telemetry: Telemetry | null = null,
    private readonly sliceMs = SAVE_SLICE_MS,
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
    this.sinks?.restore(r.state.sinks, this.detection.book.openIncidents());
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
    const packetTime = this.detection.detector.time;
    const open = await this.savedInSlices(this.detection.book.openIncidents());
    const store = this.store.where;
    let r: { setAside?: string };
    try {
      r = await this.store.save(new EncodedState(
        { version: STATE_VERSION, interface: this.iface, saved_at: new Date().toISOString(), packet_time: packetTime },
        open, this.sinks?.save() ?? {},
      ), (reason) => this.events.emit({ type: 'state_save_stale', store, reason }));
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

  /**
   * The incidents' saved form as JSON, the capture running between slices: each as it stands when its turn comes,
   * as a save at once would have it a moment later; one resolved or folded meanwhile is left out (it is not open).
   */
  private async savedInSlices(incidents: readonly Incident[]): Promise<Uint8Array[]> {
    const saved: Uint8Array[] = [];
    const ids: string[] = [];
    let sliceStart = performance.now();
    let yielded = false;
    for (const inc of incidents) {
      if (performance.now() - sliceStart >= this.sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
        yielded = true;
      }
      saved.push(encodeIncident(saveIncident(inc, this.detection.book.persistentEvidenceAt(inc))));
      ids.push(inc.id);
    }
    if (!yielded) return saved;
    const open = new Set(this.detection.book.openIncidents().map((i) => i.id));
    return saved.filter((_, k) => open.has(ids[k]));
  }
}
