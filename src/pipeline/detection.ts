import { caseIndex } from '../classify/cases.js';
import { Classifier } from '../classify/classify.js';
import type { DetectorConfig } from '../config/schema.js';
import type { ArpPacket } from '../decode/arp-packet.js';
import { Detector } from '../detect/detector.js';
import type { Signal } from '../detect/signal.js';
import type { Incident, IncidentChange, IncidentSink } from '../incidents/incident.js';
import { IncidentBook } from '../incidents/incident-book.js';
import { restoreIncident, type SavedIncident } from '../incidents/saved-incident.js';
import type { InventoryIndex } from '../inventory/inventory-index.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { incidentChangeCounters, registerDetection } from './telemetry.js';

/** How often an open incident reports an update to the sinks, in packet time. */
const UPDATE_EVERY_MICROS = 60e6;

/**
 * detect → classify → incidents → sinks, for one inventory. Holds no rules:
 * it only passes each stage's output to the next.
 */
export interface DetectionOptions {
  /** keep every incident opened, in opening order (replay and explain print them all; a daemon keeps only the book's history) */
  recordAll?: boolean;
  /** with recordAll: at most this many, the first opened (the rest counted in `notRecorded`) @defaultValue no limit */
  recordLimit?: number;
  /** count incident changes and expose the detector's state there */
  telemetry?: Telemetry;
}

export class DetectionPipeline {
  readonly detector: Detector;
  readonly book: IncidentBook;
  /** every incident opened, in opening order, when `recordAll` was asked; null otherwise */
  readonly incidents: Incident[] | null;
  /** incidents opened past `recordLimit`: not in `incidents` (the sinks had them) */
  notRecorded = 0;
  private readonly classifier: Classifier;
  private readonly cfgSamples: number;
  private readonly onSignal: (s: Readonly<Signal>) => void;

  constructor(inv: InventoryIndex, cfg: DetectorConfig, sinks: readonly IncidentSink[] = [], opts: DetectionOptions = {}) {
    this.detector = new Detector(inv, cfg);
    this.cfgSamples = cfg.samples;
    const recorded: Incident[] | null = opts.recordAll === true ? [] : null;
    const recordLimit = opts.recordLimit ?? Number.POSITIVE_INFINITY;
    this.incidents = recorded;
    const tm = opts.telemetry;
    const changes = tm === undefined ? null : incidentChangeCounters(tm);
    if (tm !== undefined) registerDetection(tm, () => this);
    this.book = new IncidentBook(
      { quietMicros: cfg.quiet_period_seconds * 1e6, samples: cfg.samples, updateEveryMicros: UPDATE_EVERY_MICROS, history: cfg.incident_history,
        floodSenders: cfg.flood_senders, maxOpen: cfg.max_open_incidents,
        persistence: { periodSeconds: cfg.persistence.period_seconds, periods: cfg.persistence.periods, horizonSeconds: cfg.persistence.horizon_seconds },
        senders: this.detector },
      (c: IncidentChange) => {
        if (recorded !== null && c.kind === 'opened') {
          if (recorded.length < recordLimit) recorded.push(c.incident);
          else this.notRecorded++;
        }
        // the NOC sees one incident per IP: a folded one is part of the case incident now
        if (recorded !== null && c.kind === 'folded') {
          const i = recorded.indexOf(c.incident as Incident);
          if (i >= 0) recorded.splice(i, 1);
        }
        if (changes !== null) tm!.add(changes[c.kind][caseIndex(c.incident.caseId)]);
        for (const s of sinks) s.accept(c);
      },
    );
    this.classifier = new Classifier(inv, cfg);
    this.onSignal = (s) => {
      const caseId = this.classifier.caseOf(s);
      if (caseId !== null) this.book.record(caseId, s, this.classifier);
    };
  }

  /** ARP frames seen (a live daemon tells a silent wire from a busy one by it). */
  frames = 0;

  /** The ArpConsumer of the frame pipeline. */
  readonly onArp = (p: Readonly<ArpPacket>): void => {
    this.frames++;
    this.detector.observe(p, this.onSignal);
    this.book.advanceToFrame(p);
  };

  /** Swaps in a reloaded inventory (SIGHUP); open incidents and windows carry on, with their customer, server and mute from the new one. */
  setInventory(inv: InventoryIndex): void {
    this.detector.setInventory(inv);
    this.classifier.setInventory(inv);
    this.book.refreshVerdicts(this.classifier);
  }

  /** Reloaded detector thresholds (SIGHUP): windows and open incidents carry on. */
  setThresholds(t: DetectorConfig['thresholds']): void {
    this.detector.setThresholds(t);
  }

  /** After a restart: the open incidents the last run saved, and its packet time (incidents/saved-incident.ts). */
  restore(saved: readonly SavedIncident[], packetTime: number): void {
    const samples = this.cfgSamples;
    this.detector.advanceTo(packetTime, this.onSignal);
    this.book.restore(saved.map((s) => restoreIncident(s, samples)), this.classifier, packetTime);
  }

  /** Moves packet time to `ts` (end of a capture, or a live heartbeat): unresolved requests and quiet incidents settle. */
  advanceTo(ts: number): void {
    this.detector.advanceTo(ts, this.onSignal);
    this.book.advanceTo(ts);
  }
}
