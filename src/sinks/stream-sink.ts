import { incidentJsonText } from '../incidents/incident-json-text.js';
import { incidentWhere } from '../incidents/incident-where.js';
import type { IncidentChange, IncidentSink } from '../incidents/incident.js';
import { isoMicros } from '../common/time.js';
import { printable } from '../common/printable.js';

/**
 * Writes each incident change as it happens: one JSON object per line
 * (`{"event":"incident_opened","incident":{...}}`) or one line of text.
 * A stream that cannot keep up drops lines and counts them: capture never waits.
 */
export class StreamSink implements IncidentSink {
  readonly name = 'stream';
  dropped = 0;

  constructor(private readonly out: NodeJS.WritableStream & { writableLength?: number }, private readonly format: 'text' | 'json',
    private readonly maxBufferedBytes = 1 << 20) {}

  accept(c: IncidentChange): void {
    if ((this.out.writableLength ?? 0) > this.maxBufferedBytes) {
      this.dropped++;
      return;
    }
    // as JSON.stringify({ event, incident }) writes it, the incident's text made once for every sink
    this.out.write(this.format === 'json' ? `{"event":"incident_${c.kind}","incident":${incidentJsonText(c)}}\n` : textLine(c));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function textLine(c: IncidentChange): string {
  const i = c.incident;
  const at = c.kind === 'opened' ? i.openedAt : c.kind === 'resolved' ? i.resolvedAt! : i.lastSeen;
  const who = i.verdict.customer ? ` customer ${printable(i.verdict.customer.id)}` : '';
  const counts = Object.entries(i.counts).map(([k, v]) => `${k}=${v}`).join(' ');
  const into = c.kind === 'folded' && i.foldedInto !== null ? ` into=${i.foldedInto}` : '';
  return `${isoMicros(at)} incident ${c.kind} ${i.caseId} ${incidentWhere(i)}${who} ${counts} id=${i.id}${into}\n`;
}
