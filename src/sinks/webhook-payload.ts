import { incidentJson, type IncidentJson } from '../incidents/incident-json.js';
import type { IncidentChange } from '../incidents/incident.js';

/** What the NOC's webhook is told of: an incident opened, resolved, or folded into another (then it never resolves on its own). */
export type WebhookEvent = 'opened' | 'resolved' | 'folded';

/** One POST's body (docs/operations.md shows one). */
export interface WebhookPayload {
  event: WebhookEvent;
  /** the host name of the arpwarden that saw it: a NOC may run one per router */
  host: string;
  /** the incident as the API and `replay --format json` give it */
  incident: IncidentJson;
  /** on `folded`: the incident it went into */
  folded_into?: string;
}

/** The payload of a change the webhook is told of, or null (`updated`: the NOC has the opening and will have the end). */
export function webhookPayload(c: IncidentChange, host: string): WebhookPayload | null {
  if (c.kind === 'updated') return null;
  const out: WebhookPayload = { event: c.kind, host, incident: incidentJson(c.incident) };
  if (c.kind === 'folded' && c.incident.foldedInto !== null) out.folded_into = c.incident.foldedInto;
  return out;
}
