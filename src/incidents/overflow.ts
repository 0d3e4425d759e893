import { createHash } from 'node:crypto';
import { nobodysVerdict } from '../classify/verdict.js';
import type { Signal } from '../detect/signal.js';
import { EvidenceFrames } from './evidence-frames.js';
import { framedIncident } from './framed-incident.js';
import { FloodTally } from './flood.js';
import type { Incident } from './incident.js';

/**
 * The one NOC incident that stands for the incidents not opened while `detector.max_open_incidents` were
 * open: their senders tallied as a flood's are (bounded, the top ones named), their events counted by
 * signal, the first frames as samples. It opens with the first signal refused and resolves, as any other,
 * after the quiet period without one. Memory stays what the cap allows, whatever the traffic.
 */
export function openOverflow(s: Readonly<Signal>, samples: number): { incident: Incident; tally: FloodTally } {
  const tally = new FloodTally(s.tsMicros);
  const frames = new EvidenceFrames(samples);
  const incident: Incident = framedIncident({
    id: overflowId(s.tsMicros),
    caseId: 'overflow', ip: 0, mac: s.mac, vlan: -1,
    verdict: nobodysVerdict('overflow', 0),
    openedAt: s.tsMicros, lastSeen: s.tsMicros, resolvedAt: null,
    counts: {},
    evidence: { targets: [], senderMacs: [], vlans: [] }, frames, folded: [], foldedInto: null, flood: tally,
  });
  return { incident, tally };
}

/** From the opening time, so a replay gives the same id. */
function overflowId(openedAt: number): string {
  return `overflow-${createHash('sha256').update(`overflow|${openedAt}`).digest('hex').slice(0, 10)}`;
}
