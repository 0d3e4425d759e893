import type { EvidenceFrames } from './evidence-frames.js';
import type { Incident } from './incident.js';

/**
 * An incident of these fields whose `samples` are its frames' lines, formatted when read: one getter shared by all,
 * defined before the fields are copied in. Where an incident has a getter of its own (one written in its object literal)
 * or gets one after its fields, V8 keeps it in dictionary mode, or puts it there once a field's representation changes
 * (the first IP above 2^31 after smaller ones): then every read and write of its fields, per signal, is a hash lookup.
 * `samples` stays an own enumerable field, so a copy (`{ ...inc }`) has the lines.
 */
export function framedIncident(f: Readonly<Omit<Incident, 'samples' | 'frames'> & { frames: EvidenceFrames }>): Incident {
  return Object.assign(Object.defineProperty({}, 'samples', FRAME_SAMPLES), f) as Incident;
}

const FRAME_SAMPLES: PropertyDescriptor = {
  get(this: Incident): string[] {
    return this.frames!.lines();
  },
  enumerable: true,
};
