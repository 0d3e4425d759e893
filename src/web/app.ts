import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { isoMicros } from '../common/time.js';
import { formatTcpdump } from '../decode/format-tcpdump.js';
import { evidencePcap } from '../incidents/evidence-pcap.js';
import { incidentJson } from '../incidents/incident-json.js';
import { sampleValue, type TelemetrySnapshot } from '../telemetry/telemetry.js';
import type { EventHub } from './event-hub.js';
import type { IncidentView } from './incident-view.js';
import { PAGE_ROUTES, pageAsset } from './page-assets.js';
import { PROMETHEUS_CONTENT_TYPE, prometheusText } from './prometheus.js';

/** What the web API reads: narrow, read-only views, never the daemon itself. */
export interface WebDeps {
  incidents: IncidentView;
  telemetry: { snapshot(): TelemetrySnapshot };
  /** when set, every route but /healthz and /readyz requires `Authorization: Bearer TOKEN` */
  token?: string | null;
  /** the SSE stream of /api/events (the daemon's page feed); absent: that route is a 404 */
  events?: EventHub;
  /** what /readyz reports; absent: ready whenever the process answers */
  readiness?: () => Readiness;
}

/** One thing the daemon needs to do its job, and whether it has it now. */
export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Readiness {
  checks: ReadinessCheck[];
}

/**
 * The routes answered without a token: a load balancer or a supervisor probes /healthz and /readyz (they hold no
 * customer data), and the page's own files hold no data either (a browser opening the page by its address cannot
 * send a header; the page then sends the token itself).
 */
const OPEN_ROUTES = new Set(['/healthz', '/readyz', ...PAGE_ROUTES]);
/** EventSource cannot send a header: this route also takes `?token=` */
const QUERY_TOKEN_ROUTE = '/api/events';

/**
 * The capture daemon's web API as a fastify app, built apart from `listen` (tests call `app.inject()`).
 * Routes: /healthz, /readyz, /api/incidents, /api/incidents/:id, /api/incidents/:id/evidence.pcap, /api/stats,
 * /api/events, /metrics, and the page: /, /page/app.js, /page/app.css (docs/web-api.md).
 */
export function buildApp(deps: WebDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  const token = deps.token ?? null;
  if (token !== null) {
    const expected = Buffer.from(`Bearer ${token}`);
    app.addHook('onRequest', async (req, reply) => {
      const route = req.url.split('?')[0];
      if (OPEN_ROUTES.has(route)) return;
      const query = route === QUERY_TOKEN_ROUTE ? (req.query as Record<string, unknown>).token : undefined;
      const given = Buffer.from(req.headers.authorization ?? (typeof query === 'string' ? `Bearer ${query}` : ''));
      // compared in constant time: the token is a password
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        await reply.code(401).header('WWW-Authenticate', 'Bearer realm="arpwarden"').send({ error: 'unauthorized', message: 'this route needs Authorization: Bearer TOKEN (web.token)' });
      }
    });
  }
  app.setNotFoundHandler(async (req, reply) => notFound(reply, `no route ${req.method} ${req.url}`));

  app.get('/healthz', async () => {
    const snap = deps.telemetry.snapshot();
    const t = snap.packetTimeMicros;
    return { up: true, packet_time: t > 0 ? isoMicros(t) : null, frames: sampleValue(snap, 'frames_total') ?? 0 };
  });

  // ready: capturing, the inventory loaded, every sink's server answering; 503 otherwise, with what is wrong
  app.get('/readyz', async (_req, reply) => {
    const checks = deps.readiness?.().checks ?? [];
    const ready = checks.every((c) => c.ok);
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });

  // `history`: how many resolved the daemon keeps, so that a page open for weeks forgets them as the daemon does
  app.get('/api/incidents', async () => {
    const h = deps.incidents.history;
    return { incidents: deps.incidents.list().map(incidentJson), ...(h === undefined ? {} : { history: h }) };
  });

  app.get<{ Params: { id: string } }>('/api/incidents/:id', async (req, reply) => {
    const inc = find(deps, req.params.id);
    if (inc === undefined) return notFound(reply, `no incident ${req.params.id} (open or in the recent history)`);
    // the latest frames past the samples: the other half of what evidence.pcap holds
    const last = inc.frames?.last().map((p) => formatTcpdump(p)) ?? [];
    return { ...incidentJson(inc), last_samples: last };
  });

  app.get<{ Params: { id: string } }>('/api/incidents/:id/evidence.pcap', async (req, reply) => {
    const inc = find(deps, req.params.id);
    if (inc === undefined) return notFound(reply, `no incident ${req.params.id} (open or in the recent history)`);
    const pcap = evidencePcap(deps.incidents.evidenceFrames(inc));
    return reply
      .type('application/vnd.tcpdump.pcap')
      .header('Content-Disposition', `attachment; filename="${inc.id}.pcap"`)
      .send(Buffer.from(pcap.buffer, pcap.byteOffset, pcap.byteLength));
  });

  app.get('/api/stats', async () => statsJson(deps.telemetry.snapshot()));

  app.get('/api/events', (req, reply) => {
    const hub = deps.events;
    if (hub === undefined) return notFound(reply, 'no event stream here');
    // the stream is written by the hub from now on, not by fastify
    reply.hijack();
    const last = req.headers['last-event-id'];
    hub.attach(reply.raw, typeof last === 'string' && last !== '' ? last : null);
    return undefined;
  });
  // an open stream would hold close() until the browser leaves
  app.addHook('preClose', async () => deps.events?.close());

  for (const route of PAGE_ROUTES) {
    app.get(route, async (_req, reply) => {
      const a = pageAsset(route)!;
      return reply.type(a.type).header('Cache-Control', 'no-cache').send(a.body);
    });
  }

  app.get('/metrics', async (_req, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(await prometheusText(deps.telemetry.snapshot())));

  return app;
}

function find(deps: WebDeps, id: string): ReturnType<IncidentView['list']>[number] | undefined {
  return deps.incidents.list().find((i) => i.id === id);
}

async function notFound(reply: FastifyReply, message: string): Promise<FastifyReply> {
  return reply.code(404).send({ error: 'not_found', message });
}

/** The snapshot as JSON: its packet time, each metric's kind and help, and the samples. */
export function statsJson(snap: TelemetrySnapshot): unknown {
  const t = snap.packetTimeMicros;
  return {
    packet_time: t > 0 ? isoMicros(t) : null,
    metrics: Object.fromEntries([...snap.metrics].map(([name, m]) => [name, { kind: m.kind, help: m.help }])),
    samples: snap.samples.map((s) => ({ name: s.name, labels: s.labels, value: s.value })),
  };
}
