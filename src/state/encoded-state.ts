import type { SavedIncident } from '../incidents/saved-incident.js';
import type { DaemonState } from './daemon-state.js';

/** The state's fields but its incidents and the sinks' part (which come after them in the document). */
export type StateHead = Omit<DaemonState, 'incidents' | 'sinks' | 'instance'>;

/**
 * A state ready to be written: each open incident already its own JSON, UTF-8, made one at a time by the
 * state keeper between frames. Why: `JSON.stringify` and `Buffer.from` of the whole state at once (8.8 MB
 * for the 3,064 incidents the bench capture leaves open) held the capture's thread 35–55 ms a save; what is
 * left: a file is written from the pieces (pieces()); Redis is sent them a MiB at a time (groups()).
 */
export class EncodedState {
  constructor(
    readonly head: StateHead,
    /** each incident's JSON (`JSON.stringify` of its saved form), in order */
    readonly incidents: readonly Uint8Array[],
    readonly sinks: Readonly<Record<string, unknown>>,
  ) {}

  /** A whole state at once (tests, small states). */
  static of(state: DaemonState): EncodedState {
    const { incidents, sinks, instance: _instance, ...head } = state;
    return new EncodedState(head, incidents.map(encodeIncident), sinks);
  }

  /**
   * The document, byte for byte what `JSON.stringify({ ...state, ...extra })` gives (`extra`: fields a store
   * adds, after the others): the head, the incidents' pieces between brackets, then the rest.
   */
  bytes(extra: Readonly<Record<string, unknown>> = {}): Buffer {
    return Buffer.concat(this.pieces(extra));
  }

  /** The document in consecutive parts of about `size` bytes each (the last one shorter): a copy of `size`, never of the whole, at a time. */
  *groups(size: number, extra: Readonly<Record<string, unknown>> = {}): Generator<Buffer> {
    let group: Uint8Array[] = [];
    let bytes = 0;
    for (const p of this.pieces(extra)) {
      group.push(p);
      bytes += p.length;
      if (bytes >= size) {
        yield Buffer.concat(group);
        group = [];
        bytes = 0;
      }
    }
    if (bytes > 0) yield Buffer.concat(group);
  }

  /** The document as bytes() has it, in pieces, none copied (a file is written from them a MiB at a time). */
  pieces(extra: Readonly<Record<string, unknown>> = {}): Uint8Array[] {
    const head = JSON.stringify(this.head);
    const opening = `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"incidents":[`;
    const tail = JSON.stringify({ sinks: this.sinks, ...extra });
    const parts: Uint8Array[] = [Buffer.from(opening)];
    for (let i = 0; i < this.incidents.length; i++) {
      if (i > 0) parts.push(COMMA);
      parts.push(this.incidents[i]);
    }
    parts.push(Buffer.from(`],${tail.slice(1)}`));
    return parts;
  }
}

const COMMA = Buffer.from(',');

/** One incident's piece of the document. */
export function encodeIncident(saved: SavedIncident): Uint8Array {
  return Buffer.from(JSON.stringify(saved));
}
