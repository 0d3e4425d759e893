import { describe, expect, it } from 'vitest';
import type { DaemonState } from './daemon-state.js';
import { EncodedState } from './encoded-state.js';

const incident = (id: string): DaemonState['incidents'][number] => ({
  id, case: 'alias-netmask', ip: 0xc6336407, mac: 0x0cc47a00000a, vlan: -1, other_mac: 0, opened_at: 1, last_seen: 2,
  counts: { requests: 3 }, samples: ['a "quoted" line é'], evidence: { targets: [1], senderMacs: [2], vlans: [] },
  frames: { first: [{ ts: 1, wire_len: 60, link_type: 1, bytes: 'AAEC' }], last: [] }, folded: [], flood: null,
});

describe('EncodedState: the incidents serialized one by one, the document as JSON.stringify has it', () => {
  const state: DaemonState = {
    version: 1, interface: 'span0', saved_at: '2026-12-02T02:00:00.000Z', packet_time: 1.5e15,
    incidents: [incident('a'), incident('b'), incident('c')], sinks: { emails: { cooldowns: [['x', 1]] } },
  };

  it('byte for byte, with no incident, one, several, and a field a store adds at the end', () => {
    for (const n of [0, 1, 3]) {
      const s = { ...state, incidents: state.incidents.slice(0, n) };
      const e = EncodedState.of(s);
      expect(e.bytes().toString('utf8')).toBe(JSON.stringify(s));
      expect(Buffer.concat(e.pieces()).equals(e.bytes())).toBe(true);
      expect(e.bytes({ instance: 'box-a' }).toString('utf8')).toBe(JSON.stringify({ ...s, instance: 'box-a' }));
    }
  });

  it('an instance in the state given is not written twice (the store adds its own)', () => {
    const e = EncodedState.of({ ...state, instance: 'old' });
    expect(JSON.parse(e.bytes({ instance: 'new' }).toString('utf8'))).toMatchObject({ instance: 'new' });
    expect(e.bytes().toString('utf8')).toBe(JSON.stringify(state));
  });
});
