import { ipToString } from '../decode/addr.js';
import { vlanName } from '../decode/vlan-key.js';
import type { Incident } from './incident.js';

/** Where an incident is, for a line of text: its IP, or a flood's VLAN and senders (`vlan 100 (254 senders)`). */
export function incidentWhere(i: Readonly<Incident>): string {
  if (i.flood === null) return ipToString(i.ip);
  const vlan = vlanName(i.vlan);
  const n = i.flood.count;
  return `${vlan} (${i.flood.atLeast ? 'at least ' : ''}${n} sender${n === 1 ? '' : 's'})`;
}
