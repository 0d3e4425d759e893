import os from 'node:os';
import { LiveSource } from '../capture/live-source.js';
import { VlanSelectSource } from '../capture/vlan-select.js';
import { VlanSet, vlanSetFilterProblem } from '../capture/vlan-set.js';
import { loadConfig } from '../config/load.js';
import { CaptureDaemon } from '../daemon/capture-daemon.js';
import { daemonSinks } from '../daemon/sinks.js';
import { loadInventoryCached } from '../inventory/cache.js';
import { inventoryCacheFile } from '../inventory/cache-file.js';
import { loadInventory } from '../inventory/load.js';
import { stateStoreFor } from '../state/state-store-for.js';
import { DaemonEvents } from '../telemetry/events.js';
import { type LogFormat, processLogger } from '../telemetry/log-format.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { UserError } from '../common/user-error.js';
import { webSettings } from '../web/web-settings.js';
import type { Incident } from '../incidents/incident.js';
import { incidentJson, type IncidentJson, incidentsText } from './incidents-output.js';
import { replayJson, summaryText } from './summary-output.js';

/** Incidents the exit summary lists, the newest: it is one line of JSON, and the sinks have had every one. */
export const SUMMARY_INCIDENTS = 1000;

/** The summary's incidents: the newest SUMMARY_INCIDENTS, and how many older ones it leaves out. */
function summaryIncidents(known: readonly Incident[]): { incidents: IncidentJson[]; incidents_not_listed?: number } {
  const listed = known.slice(-SUMMARY_INCIDENTS).map(incidentJson);
  return known.length > SUMMARY_INCIDENTS ? { incidents: listed, incidents_not_listed: known.length - SUMMARY_INCIDENTS } : { incidents: listed };
}

/** The exit status of a capture whose interface failed under it: not 2, which says the command was wrong. */
export const CAPTURE_FAILED_STATUS = 1;

export interface CaptureOptions {
  interface: string;
  filter?: string;
  promiscuous: boolean;
  bufferMib: number;
  format: 'text' | 'json';
  /** stop after this many seconds (0: until SIGINT/SIGTERM) */
  seconds: number;
  inventory?: string;
  config?: string;
  /** also write the warning emails into this directory */
  outbox?: string;
  /** serve the web API on HOST:PORT (overrides web.listen) */
  web?: string;
  /** keep the open incidents in this file across restarts (overrides state.file) */
  state?: string;
  /** absent: JSON under systemd, pretty otherwise */
  logFormat?: LogFormat;
  /** only these outer VLANs (`100-199,300,untagged`): one of several daemons on a span port */
  vlans?: string;
}

/**
 * The tags every point of a capture daemon carries: its host and interface (and `--vlans` list), under the
 * configuration's own tags, which win. Daemons of one InfluxDB snapshot on the same multiples of packet time: without
 * them, two span ports (units sharing /etc/arpwarden/arpwarden.yaml) or two routers would write the same series at
 * the same instants, each point overwriting the other's.
 */
export function captureMetricTags(tags: Readonly<Record<string, string>> | undefined, host: string, iface: string, vlans: string | null): Record<string, string> {
  return { host, interface: iface, ...(vlans === null ? {} : { vlans }), ...tags };
}

/** `arpwarden capture`: the flags to a CaptureDaemon, its signals, and what it saw printed at the end. */
export async function captureCommand(opts: CaptureOptions): Promise<number> {
  // a reload asked for while the inventory is still loading (systemd's ExecReload right after start) is kept
  // for later: SIGHUP's default action would end the process
  let reloadAsked = false;
  const early = (): void => { reloadAsked = true; };
  process.on('SIGHUP', early);
  try {
    return await capture(opts, () => reloadAsked);
  } finally {
    process.off('SIGHUP', early);
  }
}

async function capture(opts: CaptureOptions, reloadAskedEarly: () => boolean): Promise<number> {
  const config = loadConfig(opts.config);
  const fileConfig = structuredClone(config);
  const vlans = opts.vlans === undefined ? null : VlanSet.parse(opts.vlans);
  // one of several daemons on this span port: its own state key unless the configuration names one
  if (vlans !== null) config.state.instance ??= `${os.hostname()}.${vlans.slug}`;
  config.metrics.tags = captureMetricTags(config.metrics.tags, os.hostname(), opts.interface, vlans?.text ?? null);
  // before anything opens: a web address that would be refused is refused first
  const web = webSettings(config.web, opts.web);
  const cacheFile = opts.inventory === undefined ? null : inventoryCacheFile(config.inventory.cache, process.env);
  const loaded = opts.inventory === undefined ? null : cacheFile === null ? null : loadInventoryCached(opts.inventory, cacheFile);
  const inventory = opts.inventory === undefined ? null : loaded?.inventory ?? loadInventory(opts.inventory);
  if (opts.outbox !== undefined && inventory === null) throw new UserError('--outbox needs --inventory: the emails come from the incidents');
  if (opts.state !== undefined && inventory === null) throw new UserError('--state needs --inventory: the state is the open incidents');
  const log = processLogger({ format: opts.logFormat, process: 'capture', fd: 2 });
  const filterProblem = opts.filter === undefined ? null : vlanSetFilterProblem(opts.filter);
  if (filterProblem !== null) log.warn(filterProblem);
  if (loaded?.fromCache === true) log.info(`inventory ${opts.inventory}: from its compiled cache ${cacheFile}`);
  // the cache only speeds up the next start: a failure to write it is said, and nothing else
  loaded?.save?.().catch((e: unknown) => log.warn(`inventory cache ${cacheFile}: not written: ${e instanceof Error ? e.message : String(e)}`));
  const telemetry = new Telemetry();
  const events = new DaemonEvents(telemetry, log);
  const sinks = await daemonSinks({ config, detection: inventory !== null, format: opts.format, out: process.stdout, outbox: opts.outbox, configFile: opts.config, events, telemetry });
  let source: LiveSource | VlanSelectSource;
  try {
    source = new LiveSource(opts.interface, { filter: opts.filter, promiscuous: opts.promiscuous, bufferBytes: Math.round(opts.bufferMib * 1048576) });
    if (vlans !== null) source = vlanSelect(source, vlans, telemetry);
  } catch (e) {
    await sinks.close();
    throw e;
  }
  // the state is the open incidents: none without detection
  // closed by the daemon before its last save, or here if it never got that far
  let closing: Promise<void> | null = null;
  const closeSinks = (): Promise<void> => (closing ??= sinks.close());
  const state = inventory === null ? null : stateStoreFor(config, { iface: opts.interface, file: opts.state, env: process.env, host: os.hostname(), part: vlans?.slug });
  const daemon = new CaptureDaemon({
    // SIGHUP reads both files again in a worker thread (loadInventory not injected)
    interface: opts.interface, config, inventory, inventoryFile: opts.inventory, ...(cacheFile === null ? {} : { inventoryCache: cacheFile }), ...(opts.config === undefined ? {} : { configFile: opts.config, fileConfig }), source, sinks: sinks.sinks, telemetry, events, web,
    state, sinkHealth: () => sinks.health(), closeSinks,
    sinkState: { save: () => sinks.saveState(), restore: (v, open) => sinks.restoreState(v, open) },
  });
  const stop = (): void => daemon.stop();
  const reload = (): void => { void daemon.reload(); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', reload);
  // the file may have changed since it was read: read it again once capturing (the daemon is listening by then)
  if (reloadAskedEarly()) setImmediate(reload);
  const timer = opts.seconds > 0 ? setTimeout(stop, opts.seconds * 1000) : null;
  let run: Awaited<ReturnType<CaptureDaemon['start']>>;
  try {
    run = await daemon.start();
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGHUP', reload);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    // a queue sink's connection (and the state's, in Redis) would keep the process alive
    await Promise.all([closeSinks(), state?.close()]);
  }
  for (const line of sinks.report()) log.info(line);
  const failures = sinks.failures();
  for (const line of failures) log.error(line);
  const detection = run.detection;
  if (opts.format === 'json') {
    const doc = { event: 'summary', ...replayJson(opts.interface, run), kernel: run.capture.kernel,
      ...(detection ? summaryIncidents(detection.book.known()) : {}), ...sinks.json() };
    process.stdout.write(JSON.stringify(doc) + '\n');
  } else {
    process.stdout.write(summaryText(`capture ${opts.interface}`, run));
    if (detection) {
      const known = detection.book.known();
      process.stdout.write(incidentsText(known.slice(-SUMMARY_INCIDENTS)));
      if (known.length > SUMMARY_INCIDENTS) process.stdout.write(`  (${(known.length - SUMMARY_INCIDENTS).toLocaleString('en-US')} older incidents not listed)\n`);
    }
  }
  // the interface went away under the capture: a restart (systemd's Restart=on-failure) opens it again once it is back
  if (run.capture.readError !== undefined) return CAPTURE_FAILED_STATUS;
  // emails not written are a failed run (systemd and scripts see it), after everything was reported
  return failures.length > 0 ? 2 : 0;
}

function vlanSelect(live: LiveSource, vlans: VlanSet, telemetry: Telemetry): VlanSelectSource {
  let selected: VlanSelectSource;
  try {
    selected = new VlanSelectSource(live, vlans);
  } catch (e) {
    live.close();
    throw e;
  }
  telemetry.describe('capture_vlan_skipped_total', 'counter', 'frames of the VLANs this daemon does not watch (--vlans), passed over');
  telemetry.source('vlans', (out) => out.counter('capture_vlan_skipped_total', selected.skipped));
  return selected;
}
