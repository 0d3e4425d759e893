import { ipToString, macToString } from '../decode/addr.js';
import type { Incident } from '../incidents/incident.js';
import { isoMicros, tcpdumpTime } from '../common/time.js';

export interface IncidentJson {
  id: string; case: string; ip: string; mac: string; vlan: number | null;
  customer: string | null; server: string | null; stale_server: string | null; opened_at: string; last_seen: string; resolved_at: string | null;
  counts: Record<string, number>; samples: string[];
}

export function incidentJson(i: Readonly<Incident>): IncidentJson {
  return {
    id: i.id,
    case: i.caseId,
    ip: ipToString(i.ip),
    mac: macToString(i.mac),
    vlan: i.vlan < 0 ? null : i.vlan,
    customer: i.verdict.customer?.id ?? null,
    server: i.verdict.server?.id ?? null,
    stale_server: i.verdict.staleServer?.id ?? null,
    opened_at: isoMicros(i.openedAt),
    last_seen: isoMicros(i.lastSeen),
    resolved_at: i.resolvedAt === null ? null : isoMicros(i.resolvedAt),
    counts: { ...i.counts },
    samples: [...i.samples],
  };
}

const short = (ts: number): string => tcpdumpTime(ts).slice(0, 19);

export function incidentsText(incidents: readonly Readonly<Incident>[]): string {
  if (incidents.length === 0) return 'incidents: none\n';
  const rows = incidents.map((i) => [
    i.caseId, ipToString(i.ip), i.verdict.customer?.id ?? '-', i.verdict.server?.id ?? '-',
    Object.entries(i.counts).map(([k, v]) => `${k} ${v}`).join(', '),
    short(i.openedAt), i.resolvedAt === null ? 'open' : short(i.resolvedAt),
  ]);
  const head = ['case', 'ip', 'customer', 'server', 'evidence', 'opened (UTC)', 'resolved'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => r.map((x, c) => x.padEnd(widths[c])).join('  ').trimEnd();
  return [`incidents: ${incidents.length}`, '  ' + line(head), ...rows.map((r) => '  ' + line(r))].join('\n') + '\n';
}
