import { FileSource } from '../../../src/capture/file-source.js';
import type { Config } from '../../../src/config/schema.js';
import type { Incident, IncidentChange } from '../../../src/incidents/incident.js';
import { replayFile } from '../../../src/pipeline/replay.js';
import { capturePath, fixtureInventory } from './setup.js';

/** The customer incidents a case capture gives (settled at its last frame). */
export async function caseIncidents(capture: string, config: Config): Promise<Incident[]> {
  const run = await replayFile(new FileSource(capturePath(capture)), config, fixtureInventory());
  return run.detection!.incidents!.filter((i) => i.verdict.emailable);
}

/** The same incident moved: `hours` later, or on another IP of the same customer (`ipOffset` added). */
export function moved(inc: Incident, opts: { hours?: number; ipOffset?: number; tag: string }): Incident {
  const shift = (opts.hours ?? 0) * 3600e6;
  return {
    ...inc, id: `${inc.id}-${opts.tag}`, ip: inc.ip + (opts.ipOffset ?? 0),
    openedAt: inc.openedAt + shift, lastSeen: inc.lastSeen + shift, resolvedAt: inc.resolvedAt === null ? null : inc.resolvedAt + shift,
    counts: { ...inc.counts }, samples: [...inc.samples],
  };
}

/** An incident's life as a sink sees it: opened, then resolved. */
export function lifecycle(inc: Incident): IncidentChange[] {
  return [{ kind: 'opened', incident: inc }, { kind: 'resolved', incident: inc }];
}
