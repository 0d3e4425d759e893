import { describe, expect, it } from 'vitest';
import { arp, T0 } from '../../test/helpers/arp.js';
import { SignalKind, type Signal } from '../detect/signal.js';
import { IncidentBook } from './incident-book.js';
import { nobodysVerdicts } from '../../test/helpers/verdicts.js';
import type { IncidentChange } from './incident.js';
import { incidentJson } from './incident-json.js';

const verdicts = nobodysVerdicts;

const packet = arp({ t: 0, from: '198.51.100.7', mac: '0c:c4:7a:00:00:0a', target: '198.51.100.20' });
const reused: Signal = { kind: SignalKind.OFF_LINK_TARGET, ip: 0, mac: packet.senderMac, previousMac: 0, distinctMacs: 1, vlan: -1, tsMicros: 0, count: 10, threshold: 10, periods: 0, packet };
const IP = 0xc6336400; // 198.51.100.0

function signal(ip: number, tsMicros: number): Signal {
  reused.ip = ip;
  reused.tsMicros = tsMicros;
  packet.tsMicros = tsMicros;
  return reused;
}

const QUIET = 300e6;

describe('IncidentBook with maxOpen', () => {
  it('past the cap a new incident is not opened: one overflow incident takes its signals, counted, and resolves as any other', () => {
    const changes: IncidentChange[] = [];
    const book = new IncidentBook({ quietMicros: QUIET, samples: 3, updateEveryMicros: 60e6, history: 100, maxOpen: 3 }, (c) => changes.push(c));
    for (let i = 0; i < 5; i++) book.record('alias-netmask', signal(IP + i, T0 + i * 1e6), verdicts);
    // an incident already open still takes its evidence at the cap
    book.record('alias-netmask', signal(IP + 1, T0 + 6e6), verdicts);
    // a refused IP again: the overflow's, one event more
    book.record('alias-netmask', signal(IP + 4, T0 + 7e6), verdicts);
    const open = book.openIncidents();
    expect(open.map((i) => i.caseId)).toEqual(['alias-netmask', 'alias-netmask', 'alias-netmask', 'overflow']);
    expect(book.refusedForCap).toBe(3);
    const overflow = open[3];
    expect(overflow.flood?.count).toBe(2);
    expect(overflow.flood?.top()).toEqual([{ ip: IP + 4, events: 11 }, { ip: IP + 3, events: 10 }]);
    expect(overflow.counts).toEqual({ off_link_target: 21 });
    expect(overflow.samples).toHaveLength(3);
    expect(overflow.verdict.emailable).toBe(false);
    const json = incidentJson(overflow);
    expect(json).toMatchObject({ case: 'overflow', ip: null, vlan: null, flood: { senders: 2, senders_at_least: false } });
    expect(json.id).toMatch(/^overflow-[0-9a-f]{10}$/);
    expect(changes.filter((c) => c.kind === 'opened').map((c) => c.incident.caseId)).toEqual(['alias-netmask', 'alias-netmask', 'alias-netmask', 'overflow']);

    book.advanceTo(T0 + 7e6 + QUIET);
    expect(book.openIncidents()).toEqual([]);
    expect(overflow.resolvedAt).toBe(T0 + 7e6 + QUIET);
    expect(overflow.flood?.top()[0]).toEqual({ ip: IP + 4, events: 11 });
    // room again: the next IP opens its own incident
    book.record('alias-netmask', signal(IP + 9, T0 + 400e6), verdicts);
    expect(book.openIncidents().map((i) => i.ip)).toEqual([IP + 9]);
  });

  it('a million IPs within one quiet period: open incidents stay at the cap plus the overflow', () => {
    const book = new IncidentBook({ quietMicros: QUIET, samples: 3, updateEveryMicros: 60e6, history: 100, maxOpen: 1000 }, () => {});
    let peak = 0;
    for (let i = 0; i < 1_000_000; i++) {
      book.record('alias-netmask', signal(IP + i, T0 + i * 100), verdicts);
      if (i % 1000 === 0) peak = Math.max(peak, book.sizes.open, book.sizes.due);
    }
    expect(peak).toBe(1001);
    expect(book.refusedForCap).toBe(999_000);
    const overflow = book.openIncidents().find((i) => i.caseId === 'overflow')!;
    expect(overflow.flood).toMatchObject({ count: 1000, atLeast: true });
  });

  it('without maxOpen, no cap (the book alone, as before)', () => {
    const book = new IncidentBook({ quietMicros: QUIET, samples: 1, updateEveryMicros: 60e6, history: 0 }, () => {});
    for (let i = 0; i < 5000; i++) book.record('alias-netmask', signal(IP + i, T0 + i), verdicts);
    expect(book.sizes.open).toBe(5000);
    expect(book.refusedForCap).toBe(0);
  });
});
