import { isoMicros } from '../common/time.js';
import { ipToString, macToString } from '../decode/addr.js';
import type { Incident } from './incident.js';

/** An incident as JSON documents, logs and the API show it: addresses and times as strings. */
export interface IncidentJson {
  id: string; case: string; ip: string; mac: string; vlan: number | null;
  customer: string | null; server: string | null; stale_server: string | null; opened_at: string; last_seen: string; resolved_at: string | null;
  counts: Record<string, number>; samples: string[];
  /** ids of the NOC-only incidents folded into this one */
  folded: string[];
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
    folded: [...i.folded],
  };
}

