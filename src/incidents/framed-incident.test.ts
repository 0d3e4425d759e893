import { describe, expect, it } from 'vitest';
import { arp, T0 } from '../../test/helpers/arp.js';
import { nobodysVerdict } from '../classify/verdict.js';
import { formatTcpdump } from '../decode/format-tcpdump.js';
import { EvidenceFrames } from './evidence-frames.js';
import { framedIncident } from './framed-incident.js';

const at = (t: number): ReturnType<typeof arp> => arp({ t, from: '198.51.100.7', mac: '0c:c4:7a:00:00:0a', target: '198.51.100.20' });

describe('framedIncident', () => {
  it('has the fields it is given, and its frames\' lines as samples when read', () => {
    const frames = new EvidenceFrames(3);
    const fields: Parameters<typeof framedIncident>[0] = {
      id: 'noise-x', caseId: 'noise', ip: 0xc6336407, mac: 2, vlan: -1, verdict: nobodysVerdict('noise', 0xc6336407), openedAt: T0, lastSeen: T0,
      resolvedAt: null, counts: { excessive_arp: 3 }, evidence: { targets: [7], senderMacs: [], vlans: [] }, frames, folded: [], foldedInto: null, flood: null,
    };
    const inc = framedIncident(fields);
    for (const [k, v] of Object.entries(fields)) expect(inc[k as keyof typeof fields], k).toBe(v);
    expect(inc.samples).toEqual([]);
    frames.sample(at(1));
    frames.sample(at(2));
    expect(inc.samples).toEqual([formatTcpdump(at(1)), formatTcpdump(at(2))]);
    expect({ ...inc }.samples, 'a copy has the lines').toEqual(inc.samples);
  });
});
