import type { ArpPacket } from '../decode/arp-packet.js';
import type { IncidentBook } from '../incidents/incident-book.js';
import type { Incident } from '../incidents/incident.js';

/** What the web API may read of the incidents: the open ones and the recent history, and their evidence frames. */
export interface IncidentView {
  /** resolved incidents still in memory, then the open ones, in opening order */
  list(): readonly Readonly<Incident>[];
  /** an incident's evidence frames: the first (its samples) then the latest */
  evidenceFrames(incident: Readonly<Incident>): readonly Readonly<ArpPacket>[];
  /** resolved incidents kept at most (detector.incident_history); absent: no bound said */
  readonly history?: number;
}

/** The view of an incident book (the capture daemon's); none (detection off): no incidents. */
export function bookView(book: Pick<IncidentBook, 'known' | 'historyLimit'> | null): IncidentView {
  return {
    list: () => (book === null ? [] : book.known()),
    evidenceFrames: (incident) => incident.frames?.all() ?? [],
    history: book?.historyLimit ?? 0,
  };
}
