import { z } from 'zod';
import { MAX_VLAN_KEY } from '../decode/vlan-key.js';
import { CASE_IDS, type CaseId } from '../classify/verdict.js';
import type { SavedIncident } from '../incidents/saved-incident.js';

/** The state file's format; a file of another version is set aside, not misread. */
export const STATE_VERSION = 1;

/** What one capture daemon keeps across a restart. */
export interface DaemonState {
  version: typeof STATE_VERSION;
  /** the span port it was captured on: a state file is one daemon's */
  interface: string;
  /** the writer's state.instance (a state in Redis: the key names it too); absent in a state file */
  instance?: string;
  /** when it was written (the clock's, for a person reading the file) */
  saved_at: string;
  /** packet time when it was written, µs */
  packet_time: number;
  /** the open incidents */
  incidents: SavedIncident[];
  /** what the sinks keep (the outbox's cooldowns), by sink name */
  sinks: Record<string, unknown>;
}

const num = z.number().finite();
const frame = z.strictObject({ ts: num, wire_len: z.number().int().min(0), link_type: z.number().int().min(0), bytes: z.string().max(65536) });
const incident = z.strictObject({
  id: z.string().min(1).max(200),
  case: z.enum(CASE_IDS as unknown as [CaseId, ...CaseId[]]),
  ip: z.number().int().min(0).max(0xffffffff),
  mac: num, vlan: z.number().int().min(-1).max(MAX_VLAN_KEY), other_mac: num,
  opened_at: num, last_seen: num,
  counts: z.record(z.string(), num),
  samples: z.array(z.string()),
  evidence: z.strictObject({ targets: z.array(num), senderMacs: z.array(num), vlans: z.array(num) }),
  frames: z.strictObject({ first: z.array(frame), last: z.array(frame) }),
  folded: z.array(z.string()),
  flood: z.strictObject({ first_seen: num, senders: z.array(z.tuple([num, num])), untallied_events: num, at_least: z.boolean() }).nullable(),
  opened_by_persistence: z.strictObject({ periods: num, period_seconds: num, horizon_seconds: num }).optional(),
  block_senders: z.array(z.number().int().min(0).max(0xffffffff)).max(1 << 16).optional(),
  persistent_at: num.optional(),
});
const stateSchema = z.strictObject({
  version: z.literal(STATE_VERSION),
  interface: z.string(),
  instance: z.string().optional(),
  saved_at: z.string(),
  packet_time: num,
  incidents: z.array(incident),
  sinks: z.record(z.string(), z.unknown()).default({}),
});

/** The state in `text`, or why it cannot be used (one phrase). */
export function parseState(text: string): { state: DaemonState } | { problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { problem: 'not JSON (cut short?)' };
  }
  if (typeof doc === 'object' && doc !== null && 'version' in doc && doc.version !== STATE_VERSION) {
    return { problem: `format version ${String(doc.version)}, this arpwarden reads ${STATE_VERSION}` };
  }
  const r = stateSchema.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0];
    return { problem: `${i.path.join('.') || 'the document'}: ${i.message}` };
  }
  return { state: r.data };
}
