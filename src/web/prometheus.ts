import { Counter, Gauge, Registry } from 'prom-client';
import type { TelemetrySnapshot } from '../telemetry/telemetry.js';

/** Prometheus's text format, as the `Content-Type` of /metrics says. */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
const PREFIX = 'arpwarden_';

/**
 * A telemetry snapshot in Prometheus's text format, through a prom-client registry made for this scrape: each
 * metric of the snapshot is a family `arpwarden_NAME` of its kind (counter or gauge) with its help text and its
 * labels as labels. A registry per scrape, not one kept in step with the counters: the snapshot is the one source
 * of truth, and a metric a source starts writing later (a reload, a new VLAN) is there at the next scrape.
 * The labels are those telemetry writes (op, reason, case, VLAN..., bounded by design; `ip` only on the per-sender families).
 */
export async function prometheusText(snap: TelemetrySnapshot): Promise<string> {
  const registry = new Registry();
  const labelNames = new Map<string, Set<string>>();
  for (const s of snap.samples) {
    let names = labelNames.get(s.name);
    if (names === undefined) labelNames.set(s.name, (names = new Set()));
    for (const k of Object.keys(s.labels)) names.add(k);
  }
  const families = new Map<string, Counter | Gauge>();
  for (const [name, info] of snap.metrics) {
    const config = { name: `${PREFIX}${name}`, help: info.help, labelNames: [...(labelNames.get(name) ?? [])], registers: [registry] };
    families.set(name, info.kind === 'counter' ? new Counter(config) : new Gauge(config));
  }
  for (const s of snap.samples) {
    const f = families.get(s.name)!;
    if (f instanceof Counter) f.inc({ ...s.labels }, s.value);
    else f.set({ ...s.labels }, s.value);
  }
  return registry.metrics();
}
