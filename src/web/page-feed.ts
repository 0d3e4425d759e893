import type { IncidentChange, IncidentSink } from '../incidents/incident.js';
import { incidentJsonText } from '../incidents/incident-json-text.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { EventHub, type EventHubOptions } from './event-hub.js';
import { StatsView, type Talker } from './stats-view.js';

/** How the browser is told to wait before reconnecting, and how often a comment keeps an idle stream open. */
export const SSE_RETRY_MS = 2000;
export const SSE_KEEPALIVE_MS = 15_000;

export interface PageFeedOptions extends Partial<EventHubOptions> {
  history: number;
  clientBufferBytes: number;
  /** the busiest senders now (the traffic summary's recent talkers), read at heartbeat only */
  talkers: () => readonly Talker[];
  /** packet time (µs) their counts start at, -1 if none */
  talkersSince?: () => number;
  /** ms since the epoch (the chart's time axis; nothing decides on it) */
  clockMs?: () => number;
}

/**
 * What feeds the page's /api/events: incident changes through an IncidentSink (as they happen: rare, and
 * serialized once), and a `stats` event at each heartbeat of the daemon. Its counts are telemetry.
 */
export class PageFeed {
  readonly hub: EventHub;
  readonly sink: IncidentSink;
  private readonly stats = new StatsView();
  private readonly clockMs: () => number;

  constructor(private readonly telemetry: Telemetry, private readonly o: PageFeedOptions) {
    this.hub = new EventHub({ retryMs: SSE_RETRY_MS, keepAliveMs: SSE_KEEPALIVE_MS, ...o });
    this.clockMs = o.clockMs ?? Date.now;
    const hub = this.hub;
    this.sink = {
      name: 'page',
      // as publish() would serialize { change, incident }, the incident's text made once for every sink
      accept: (c: IncidentChange) => hub.publishJson('incident', `{"change":"${c.kind}","incident":${incidentJsonText(c)}}`),
      close: async () => {},
    };
    registerPageTelemetry(telemetry, hub);
  }

  /** One heartbeat: the telemetry view since the last one, as a `stats` event. */
  beat(): void {
    const s = this.stats.next(this.telemetry.snapshot(), this.clockMs(), this.o.talkers(), this.o.talkersSince?.() ?? -1);
    if (s !== null) this.hub.publish('stats', s);
  }
}

function registerPageTelemetry(t: Telemetry, hub: EventHub): void {
  t.describeAll([
    ['web_sse_clients', 'gauge', 'pages connected to /api/events now'],
    ['web_sse_events_total', 'counter', 'events published on /api/events (incident changes and stats)'],
    ['web_sse_clients_cut_total', 'counter', 'pages cut off because they did not read their events (web.client_buffer_kib)'],
    ['web_sse_reconnects_total', 'counter', 'pages that came back with Last-Event-ID: caught up from the history (replayed) or told to refetch (reset)'],
  ]);
  t.source('web', (out) => {
    const n = hub.counts;
    out.gauge('web_sse_clients', n.clients);
    out.counter('web_sse_events_total', n.published);
    out.counter('web_sse_clients_cut_total', n.cut);
    out.counter('web_sse_reconnects_total', n.replayed, { outcome: 'replayed' });
    out.counter('web_sse_reconnects_total', n.reset, { outcome: 'reset' });
  });
}
