import { incidentJson } from './incident-json.js';
import type { IncidentChange } from './incident.js';

/** Each change's incident as JSON text, while the change is referenced (every sink is handed the same object). */
const made = new WeakMap<IncidentChange, string>();

/**
 * `JSON.stringify(incidentJson(c.incident))`, made once per change for every sink that prints it (the stream's
 * lines and the page's events): 10–20 µs an incident, for every change, on the capture's thread.
 * The incident as it stood when the first sink asked: the sinks are handed a change one after the other, at once.
 */
export function incidentJsonText(c: IncidentChange): string {
  let text = made.get(c);
  if (text === undefined) {
    text = JSON.stringify(incidentJson(c.incident));
    made.set(c, text);
  }
  return text;
}
