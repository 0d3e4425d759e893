import { isoMicros } from '../common/time.js';
import { vlanJson } from '../decode/vlan-key.js';
import { ipToString, macToString } from '../decode/addr.js';
import type { FloodSenders, Incident, OpenedByPersistence } from './incident.js';

/** An incident as JSON documents, logs and the API show it: addresses and times as strings. */
export interface IncidentJson {
  /** `ip` is null for a flood: its senders are in `flood` */
  id: string; case: string; ip: string | null; mac: string;
  /** the customer-side VLAN id (QinQ's inner tag; null untagged), and QinQ's outer one, only on QinQ */
  vlan: number | null; outer_vlan?: number;
  customer: string | null; server: string | null; stale_server: string | null; opened_at: string; last_seen: string; resolved_at: string | null;
  counts: Record<string, number>; samples: string[];
  /** ids of the NOC-only incidents folded into this one */
  folded: string[];
  /** a flood's senders (only on a flood incident): how many (a lower bound when `senders_at_least`), the top ones, the events per second */
  flood?: FloodJson;
  /** when the persistence rule opened it (its window's count stayed under the threshold): the distinct periods seen within the horizon */
  opened_by_persistence?: PersistenceJson;
}

export interface PersistenceJson { periods: number; period_seconds: number; horizon_seconds: number }

/** Incident.openedByPersistence as JSON (the API's and the state file's). */
export const persistenceJson = (p: Readonly<OpenedByPersistence>): PersistenceJson => ({ periods: p.periods, period_seconds: p.periodSeconds, horizon_seconds: p.horizonSeconds });

export interface FloodJson {
  senders: number;
  senders_at_least: boolean;
  top: { ip: string; events: number }[];
  /** its earliest evidence (the first folded incident's opening) */
  first_seen: string;
  /** events of every signal per second of packet time, first to last seen */
  events_per_second: number;
}

export function incidentJson(i: Readonly<Incident>): IncidentJson {
  const out: IncidentJson = {
    id: i.id,
    case: i.caseId,
    ip: i.flood !== null ? null : ipToString(i.ip),
    mac: macToString(i.mac),
    ...vlanJson(i.vlan),
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
  if (i.flood !== null) out.flood = floodJson(i, i.flood);
  if (i.openedByPersistence !== undefined) out.opened_by_persistence = persistenceJson(i.openedByPersistence);
  return out;
}

function floodJson(i: Readonly<Incident>, f: FloodSenders): FloodJson {
  let events = 0;
  for (const n of Object.values(i.counts)) events += n;
  const seconds = (i.lastSeen - f.firstSeen) / 1e6;
  return {
    senders: f.count,
    senders_at_least: f.atLeast,
    top: f.top().map((s) => ({ ip: ipToString(s.ip), events: s.events })),
    first_seen: isoMicros(f.firstSeen),
    // one decimal: a rate, not a count; a flood seen within one second counts its events as that second's
    events_per_second: Math.round((events / Math.max(seconds, 1)) * 10) / 10,
  };
}

