import type { FrameSource, PacketTimeObserver } from '../capture/frame-source.js';
import type { Config } from '../config/schema.js';
import type { IncidentSink } from '../incidents/incident.js';
import type { InventoryIndex } from '../inventory/inventory-index.js';
import { DetectionPipeline } from './detection.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { type PipelineRun, runPipeline } from './pipeline.js';
import { incidentSenderWatch, registerSenders } from './sender-telemetry.js';
import { registerTraffic } from './telemetry.js';
import { TrafficSummary } from './traffic-summary.js';

/** Incidents a replay lists at the end, at least (and at least detector.max_open_incidents), the first opened: the rest are counted (`incidents_not_listed`); every sink had them. */
export const REPLAY_LISTED_INCIDENTS = 10_000;

export interface ReplayRun extends PipelineRun {
  /** null without an inventory: decode and count only */
  detection: DetectionPipeline | null;
}

/**
 * Runs a capture file through the whole pipeline, then lets packet time settle at its last frame.
 * With `telemetry`, the run's counts are readable there as it goes, on the capture's own timeline.
 * When `signal` aborts (Ctrl-C), it stops after the frame being read: what was read is counted and detected.
 * `clock` is told as packet time crosses its due times (`replay --influx`: ReplayMetrics.clock).
 */
export async function replayFile(source: FrameSource, config: Config | null, inventory: InventoryIndex | null, sinks: readonly IncidentSink[] = [], telemetry?: Telemetry, signal?: AbortSignal, clock?: PacketTimeObserver): Promise<ReplayRun> {
  if (inventory !== null && config === null) throw new Error('replayFile: detection needs a configuration');
  const summary = new TrafficSummary(config?.metrics.top_senders);
  // with telemetry, the IPs of open incidents are counted per sender from their opening
  const all = telemetry === undefined ? sinks : [...sinks, incidentSenderWatch(summary)];
  const detection = inventory === null || config === null ? null : new DetectionPipeline(inventory, config.detector, all,
    // the list printed at the end is bounded as the open incidents are: a capture that opens and resolves millions must not hold them all
    { recordAll: true, recordLimit: Math.max(REPLAY_LISTED_INCIDENTS, config.detector.max_open_incidents), telemetry });
  if (telemetry !== undefined) {
    registerTraffic(telemetry, () => summary);
    registerSenders(telemetry, () => summary, () => detection);
    telemetry.clock(() => (detection !== null ? detection.detector.time : Math.max(0, summary.lastTs)));
  }
  const run = await runPipeline(source, detection?.onArp, signal, summary, clock);
  if (detection !== null && run.summary.lastTs >= 0) detection.advanceTo(run.summary.lastTs);
  return { ...run, detection };
}

