import type { CaptureStats, FrameSource } from '../capture/frame-source.js';
import { isoMicros } from '../common/time.js';
import type { Config } from '../config/schema.js';
import type { IncidentSink } from '../incidents/incident.js';
import { reloadConfig } from '../config/load.js';
import { buildInSlices, type CompiledInventory, compileInventory } from '../inventory/compiled.js';
import { diffInventories, type InventoryDiff, reloadSummary, removedPercent } from '../inventory/diff.js';
import type { InventoryIndex } from '../inventory/inventory-index.js';
import { DetectionPipeline } from '../pipeline/detection.js';
import { type PipelineRun, runPipeline } from '../pipeline/pipeline.js';
import { incidentSenderWatch, registerSenders } from '../pipeline/sender-telemetry.js';
import { registerTraffic } from '../pipeline/telemetry.js';
import { TrafficSummary } from '../pipeline/traffic-summary.js';
import type { DaemonEvents } from '../telemetry/events.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { bookView } from '../web/incident-view.js';
import { PageFeed } from '../web/page-feed.js';
import type { Readiness, ReadinessCheck } from '../web/app.js';
import { type RunningWebServer, startWebServer } from '../web/web-server.js';
import type { SinkHealth } from './sinks.js';
import type { WebSettings } from '../web/web-settings.js';
import type { StateStore } from '../state/state-store.js';
import { configChanges } from './config-reload.js';
import { ClockWatch } from './clock-watch.js';
import { DropWatch } from './drop-watch.js';
import { type ReloadAnswer, reloadInThread } from './reload-thread.js';
import { type SinkState, StateKeeper } from './state-keeper.js';
import { HEARTBEAT_LAG_MICROS, HEARTBEAT_MS, LiveClock, SILENT_HEARTBEATS } from './live-clock.js';

/** A reload builds the new index this long at a time between frames (ms) */
const BUILD_SLICE_MS = 5;
/** the window of the page's recent talkers: it lists the senders of the last one or two of them */
const RECENT_TALKERS_WINDOW_MICROS = 60e6;

/** A live frame source: its BPF filter and the kernel's counters, readable while it runs. */
export interface LiveFrameSource extends FrameSource {
  readonly filter: string;
  kernelStats(): NonNullable<CaptureStats['kernel']>;
}

export interface CaptureDaemonOptions {
  interface: string;
  config: Config;
  /** null: decode and count only, no detection */
  inventory: InventoryIndex | null;
  /** the file SIGHUP reloads, and how (injected so tests need no file) */
  inventoryFile?: string;
  loadInventory?: (file: string) => InventoryIndex;
  /** the compiled inventory cache a reload reads through and writes (inventory.cache); absent: none */
  inventoryCache?: string;
  /** the configuration file SIGHUP reads again (its detector thresholds); absent: none */
  configFile?: string;
  /** the configuration as its file gave it, before the command line's additions (--vlans names the state and tags the metrics): what a reload compares the file with @defaultValue config */
  fileConfig?: Config;
  source: LiveFrameSource;
  sinks: readonly IncidentSink[];
  telemetry: Telemetry;
  events: DaemonEvents;
  /** the clock, µs since the epoch; only the live-clock policy reads it, never detection */
  clockMicros?: () => number;
  /** the web API, served while the capture runs (webSettings: web.listen or --web); null or absent: none */
  web?: WebSettings | null;
  /** heartbeats on a timer (tests beat by hand) @defaultValue true */
  timers?: boolean;
  /** where the open incidents are kept across a restart (a file or Redis: state/state-store-for.ts); absent: nowhere. The caller closes it. */
  state?: StateStore | null;
  /**
   * Closes the sinks (flushes what they hold); awaited at stop before the last save, so that what they do then is in
   * it (the outbox's cooldowns of the emails written at stop). The caller may call it again: it must be idempotent.
   */
  closeSinks?: () => Promise<void>;
  /** what the sinks keep across a restart (DaemonSinks.saveState/restoreState) */
  sinkState?: SinkState;
  /** the sinks' states, for /readyz (DaemonSinks.health) */
  sinkHealth?: () => ({ name: string } & SinkHealth)[];
}

export interface CaptureDaemonRun extends PipelineRun {
  detection: DetectionPipeline | null;
}

/**
 * The capture daemon: one span port, from start to stop. It owns the lifecycle (start, reload,
 * stop), the live-clock policy and the sinks it was given; it prints nothing (the command does).
 */
export class CaptureDaemon {
  readonly detection: DetectionPipeline | null;
  readonly summary: TrafficSummary;
  private readonly ac = new AbortController();
  private readonly clock = new LiveClock(SILENT_HEARTBEATS, HEARTBEAT_LAG_MICROS);
  private readonly drops = new DropWatch();
  private readonly clockWatch = new ClockWatch();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<CaptureDaemonRun> | null = null;
  /** the web API while it listens */
  private webServer: RunningWebServer | null = null;
  /** the page's event stream (with the web API): incident changes as a sink, telemetry at each heartbeat */
  readonly page: PageFeed | null;
  /** the inventory detection uses now: a reload is compared with it */
  private inventory: InventoryIndex | null;
  private readonly keeper: StateKeeper | null;
  private stateTimer: NodeJS.Timeout | null = null;
  private capturing = false;
  /** the last SIGHUP's file was refused (bad, or removing too much): /readyz says so */
  private lastReloadRefused = false;
  /** the reload running, and the one asked meanwhile (coalesced: one) */
  private reloading: Promise<boolean> | null = null;
  private reloadAgain: Promise<boolean> | null = null;
  /** the inventory in use, compiled: what a reload's worker compares the file with */
  private compiled: CompiledInventory | null = null;
  /** the longest the last worker reload held the capture's thread: its longest build slice, its swap (ms) */
  lastReloadSteps: { buildSliceMs: number; swapMs: number } | null = null;
  /** the configuration as running: the start's, with the thresholds SIGHUP took */
  private runningConfig: Config;

  constructor(private readonly o: CaptureDaemonOptions) {
    const t = o.telemetry;
    this.inventory = o.inventory;
    this.runningConfig = o.fileConfig ?? o.config;
    // the page lists who is loud now: the last one to two minutes of packet time, not since the start
    this.summary = new TrafficSummary(o.config.metrics.top_senders, o.web ? RECENT_TALKERS_WINDOW_MICROS : 0);
    const w = o.config.web;
    this.page = o.web ? new PageFeed(t, { history: w.event_history, clientBufferBytes: w.client_buffer_kib * 1024, talkers: () => this.summary.recentTalkers(10),
      talkersSince: () => this.summary.recent?.sinceMicros ?? -1 }) : null;
    const sinks = [...o.sinks, incidentSenderWatch(this.summary), ...(this.page === null ? [] : [this.page.sink])];
    this.detection = o.inventory === null ? null : new DetectionPipeline(o.inventory, o.config.detector, sinks, { telemetry: t });
    this.keeper = o.state && this.detection !== null ? new StateKeeper(o.state, o.interface, this.detection, o.events, o.sinkState ?? null, t) : null;
    registerTraffic(t, () => this.summary);
    registerSenders(t, () => this.summary, () => this.detection);
    t.describe('capture_kernel_received_total', 'counter', 'frames the kernel received for the capture (pcap_stats)');
    t.describe('capture_kernel_dropped_total', 'counter', 'frames the kernel dropped for lack of buffer space (pcap_stats)');
    t.describe('capture_interface_dropped_total', 'counter', 'frames the interface or its driver dropped (pcap_stats)');
    t.source('capture', (out) => {
      const k = o.source.kernelStats();
      out.counter('capture_kernel_received_total', k.received);
      out.counter('capture_kernel_dropped_total', k.dropped);
      out.counter('capture_interface_dropped_total', k.ifDropped);
    });
    t.clock(() => (this.detection !== null ? this.detection.detector.time : Math.max(0, this.summary.lastTs)));
  }

  /** Captures until stop(); resolves with what was seen. Once only. */
  start(): Promise<CaptureDaemonRun> {
    this.running ??= this.run();
    return this.running;
  }

  private async run(): Promise<CaptureDaemonRun> {
    const o = this.o;
    // before the first frame: an incident still open from the last run carries on, it is not opened again
    if (this.keeper !== null) await this.keeper.restore(this.ac.signal);
    if (o.web) {
      this.webServer = await startWebServer(o.web, { incidents: bookView(this.detection?.book ?? null), telemetry: o.telemetry, readiness: () => this.readiness(), events: this.page?.hub });
      o.events.emit({ type: 'web_listening', url: this.webServer.url, token: o.web.token !== null });
    }
    // what a reload's worker compares the file with, made now rather than on the first SIGHUP (it takes a while)
    if (this.inventory !== null && o.inventoryFile !== undefined && o.loadInventory === undefined) this.compiled = compileInventory(this.inventory);
    o.events.emit({ type: 'capture_started', interface: o.interface, filter: o.source.filter, state: this.keeper?.where ?? 'no state kept' });
    this.capturing = true;
    if (o.timers !== false) this.timer = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    if (o.timers !== false && this.keeper !== null) this.stateTimer = setInterval(() => this.keeper!.tick(), o.config.state.save_seconds * 1000);
    let run: PipelineRun;
    try {
      run = await runPipeline(o.source, this.detection?.onArp, this.ac.signal, this.summary);
    } finally {
      this.capturing = false;
      if (this.timer !== null) clearInterval(this.timer);
      if (this.stateTimer !== null) clearInterval(this.stateTimer);
      this.timer = null;
      this.stateTimer = null;
      await this.webServer?.close();
    }
    // as replay does at the end of a file: time settles at the last frame
    if (this.detection !== null && run.summary.lastTs >= 0) this.detection.advanceTo(run.summary.lastTs);
    // saved before the sinks close too: their flush may outlast systemd's stop timeout (TimeoutStopSec), and a kill
    // then would lose the open incidents; a job the sinks hand over meanwhile is rebuilt from it under the same id
    if (this.keeper !== null && o.closeSinks !== undefined) await this.keeper.save();
    // the sinks, then the state again: the emails they build and hand over at stop take their cooldowns, which it must keep
    try {
      await o.closeSinks?.();
    } finally {
      // what is still open is saved as it stands: a stop resolves nothing
      if (this.keeper !== null) await this.keeper.save();
    }
    const failed = run.capture.readError;
    if (failed !== undefined) o.events.emit({ type: 'capture_failed', interface: o.interface, reason: failed, frames: run.summary.frames });
    else o.events.emit({ type: 'capture_stopped', interface: o.interface, frames: run.summary.frames });
    return { ...run, detection: this.detection };
  }

  /** What /readyz reports: capturing, the inventory, each sink. */
  readiness(): Readiness {
    const o = this.o;
    const capture: ReadinessCheck = this.capturing
      ? { name: 'capture', ok: true, detail: `capturing on ${o.interface} (${this.summary.frames} frames)` }
      : { name: 'capture', ok: false, detail: `not capturing on ${o.interface}` };
    const inventory: ReadinessCheck = this.inventory === null
      ? { name: 'inventory', ok: true, detail: 'none: counting only, no detection' }
      : { name: 'inventory', ok: true, detail: `${o.inventoryFile ?? 'loaded'}: ${this.inventory.customers.size} customers, ${this.inventory.servers.size} servers${this.lastReloadRefused ? ' (the last reload was refused: the previous inventory is in use)' : ''}` };
    const sinks = (o.sinkHealth?.() ?? []).map((h): ReadinessCheck => ({ name: `sink:${h.name}`, ok: h.ok, detail: h.detail }));
    return { checks: [capture, inventory, ...sinks] };
  }

  /** Where the web API listens (http://HOST:PORT/), once start() has it listening; null without one. */
  get webUrl(): string | null {
    return this.webServer?.url ?? null;
  }

  /** One heartbeat: a silent wire lets packet time follow the clock; growing kernel drops are told. */
  heartbeat(clockMicros = (this.o.clockMicros ?? (() => Date.now() * 1000))()): void {
    this.page?.beat();
    const kernel = this.o.source.kernelStats();
    const lost = this.drops.check(kernel.dropped, clockMicros);
    if (lost !== null) this.o.events.emit({ type: 'kernel_dropping', interface: this.o.interface, dropped: lost, total: kernel.dropped });
    if (this.detection === null) return;
    const behind = this.clockWatch.check(this.detection.detector.time, clockMicros);
    if (behind?.kind === 'behind') {
      this.o.events.emit({ type: 'clock_behind', interface: this.o.interface, packet_time: isoMicros(this.detection.detector.time), ahead_seconds: Math.round(behind.aheadMicros / 1e6) });
    } else if (behind?.kind === 'in_step') this.o.events.emit({ type: 'clock_in_step', interface: this.o.interface });
    const to = this.clock.beat(this.detection.frames, clockMicros);
    if (to !== null) this.detection.advanceTo(to);
  }

  /**
   * SIGHUP: the inventory file again, and the configuration's detector thresholds. A bad inventory is refused and
   * the last good one kept, and so is one that would remove more than `inventory.max_removed_percent` of the
   * customer IPs; a bad configuration keeps the running thresholds. Without an injected `loadInventory` the file
   * is read in a worker thread and the index built in slices between frames, so the capture never waits for it.
   * A reload asked while one runs is served once after it (any number of asks: one more). Resolves with whether
   * the inventory was taken.
   */
  reload(): Promise<boolean> {
    if (this.reloading === null) {
      this.reloading = this.reloadOnce().finally(() => { this.reloading = null; });
      return this.reloading;
    }
    this.reloadAgain ??= this.reloading.then(() => {
      this.reloadAgain = null;
      return this.reload();
    });
    return this.reloadAgain;
  }

  private async reloadOnce(): Promise<boolean> {
    const o = this.o;
    const file = o.inventoryFile;
    if (this.detection === null || this.inventory === null || file === undefined) return false;
    if (o.loadInventory !== undefined) {
      if (o.configFile !== undefined) this.takeConfig(o.configFile, this.readConfigHere(o.configFile));
      return this.takeInventory(file, () => {
        const next = o.loadInventory!(file);
        const diff = diffInventories(this.inventory!, next);
        return { next, changes: reloadSummary(diff), customerIps: diff.customerIps, removedPercent: removedPercent(diff) };
      });
    }
    this.compiled ??= compileInventory(this.inventory);
    const a = await reloadInThread({
      inventoryFile: file, previous: this.compiled, ...(o.configFile === undefined ? {} : { configFile: o.configFile }),
      ...(o.inventoryCache === undefined ? {} : { cacheFile: o.inventoryCache }),
    });
    if (a.cacheProblem !== null) o.events.emit({ type: 'sink_notice', sink: `inventory cache ${o.inventoryCache}`, level: 'warn', message: a.cacheProblem });
    if (a.config !== null && o.configFile !== undefined) this.takeConfig(o.configFile, a.config);
    const inv = a.inventory;
    if (!inv.ok) return this.takeInventory(file, () => { throw new Error(inv.reason); });
    if (this.removesTooMuch(file, inv)) return false;
    const stats = { longestMs: 0 };
    const next = await buildInSlices(inv.compiled, BUILD_SLICE_MS, stats);
    this.compiled = inv.compiled;
    const swapStart = performance.now();
    const taken = this.takeInventory(file, () => ({ next, changes: inv.changes, customerIps: inv.customerIps, removedPercent: inv.removedPercent }));
    this.lastReloadSteps = { buildSliceMs: stats.longestMs, swapMs: performance.now() - swapStart };
    return taken;
  }

  /** Swaps in the inventory `read` answers, unless it throws or removes too much; tells which. */
  private takeInventory(file: string, read: () => { next: InventoryIndex; changes: string; customerIps: InventoryDiff['customerIps']; removedPercent: number }): boolean {
    let r: ReturnType<typeof read>;
    // whatever goes wrong, the last good inventory stays and so does the daemon
    try {
      r = read();
    } catch (e) {
      this.o.events.emit({ type: 'inventory_refused', file, reason: e instanceof Error ? e.message : String(e) });
      this.lastReloadRefused = true;
      return false;
    }
    if (this.removesTooMuch(file, r)) return false;
    this.detection!.setInventory(r.next);
    this.inventory = r.next;
    this.lastReloadRefused = false;
    this.o.events.emit({ type: 'inventory_reloaded', file, changes: r.changes });
    return true;
  }

  private removesTooMuch(file: string, r: { customerIps: InventoryDiff['customerIps']; removedPercent: number }): boolean {
    const max = this.o.config.inventory.max_removed_percent;
    if (r.removedPercent <= max) return false;
    const { before, after, removed: n } = r.customerIps;
    this.o.events.emit({
      type: 'inventory_refused', file,
      reason: `${file} would remove ${n} of the ${before} customer IPs (${r.removedPercent.toFixed(1)}%, ${after} left), more than inventory.max_removed_percent ${max}%: `
        + `a truncated file? (arpwarden inventory diff shows the changes)`,
    });
    this.lastReloadRefused = true;
    return true;
  }

  private readConfigHere(file: string): NonNullable<ReloadAnswer['config']> {
    try {
      return { ok: true, config: reloadConfig(file) };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  /** The configuration read again: its thresholds taken, the keys only a restart takes named, a bad file refused. */
  private takeConfig(file: string, r: NonNullable<ReloadAnswer['config']>): void {
    if (!r.ok) {
      this.o.events.emit({ type: 'config_refused', file, reason: r.reason });
      return;
    }
    const c = configChanges(this.runningConfig, r.config);
    if (c.thresholds.length > 0) {
      this.detection?.setThresholds(r.config.detector.thresholds);
      this.runningConfig = { ...this.runningConfig, detector: { ...this.runningConfig.detector, thresholds: r.config.detector.thresholds } };
      this.o.events.emit({ type: 'config_reloaded', file, changes: c.thresholds.join(', ') });
    }
    if (c.needRestart.length > 0) this.o.events.emit({ type: 'config_needs_restart', file, keys: c.needRestart.join(', ') });
  }

  /** Writes the state now (tests; the daemon saves on its timer and at stop). */
  saveState(): Promise<void> {
    return this.keeper?.save() ?? Promise.resolve();
  }

  /** Ends the capture; start() then resolves. */
  stop(): void {
    this.ac.abort();
  }
}
