import { incidentWhere } from '../incidents/incident-where.js';
import type { Incident } from '../incidents/incident.js';
import { tcpdumpTime } from '../common/time.js';
export { incidentJson, type IncidentJson } from '../incidents/incident-json.js';

const short = (ts: number): string => tcpdumpTime(ts).slice(0, 19);

export function incidentsText(incidents: readonly Readonly<Incident>[]): string {
  if (incidents.length === 0) return 'incidents: none\n';
  const rows = incidents.map((i) => [
    i.caseId, incidentWhere(i), i.verdict.customer?.id ?? '-', i.verdict.server?.id ?? '-',
    Object.entries(i.counts).map(([k, v]) => `${k} ${v}`).join(', '),
    short(i.openedAt), i.resolvedAt === null ? 'open' : short(i.resolvedAt),
  ]);
  const head = ['case', 'ip', 'customer', 'server', 'evidence', 'opened (UTC)', 'resolved'];
  // a loop, not Math.max(...rows): 130,000 arguments overflow the stack
  const widths = head.map((h, c) => rows.reduce((w, r) => Math.max(w, r[c].length), h.length));
  const line = (r: string[]): string => r.map((x, c) => x.padEnd(widths[c])).join('  ').trimEnd();
  return [`incidents: ${incidents.length}`, '  ' + line(head), ...rows.map((r) => '  ' + line(r))].join('\n') + '\n';
}
