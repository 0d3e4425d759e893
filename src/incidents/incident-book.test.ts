import { describe, expect, it } from 'vitest';
import { arp, T0 } from '../../test/helpers/arp.js';
import { CASES } from '../classify/cases.js';
import type { Signal } from '../detect/signal.js';
import { SignalKind } from '../detect/signal.js';
import { nobodysVerdict } from '../classify/verdict.js';
import { parseCidr } from '../common/cidr.js';
import { IncidentBook, type SendersSeen, type VerdictSource } from './incident-book.js';
import type { Incident, IncidentChange } from './incident.js';
import { nobodysVerdicts } from '../../test/helpers/verdicts.js';

const verdicts = nobodysVerdicts;

/** One signal object refilled per call, as the detector does. */
const packet = arp({ t: 0, from: '198.51.100.7', mac: '0c:c4:7a:00:00:0a', target: '198.51.100.20' });
const reused: Signal = { kind: SignalKind.OFF_LINK_TARGET, ip: 0, mac: packet.senderMac, previousMac: 0, distinctMacs: 1, vlan: -1, tsMicros: 0, count: 10, threshold: 10, periods: 0, packet };

function signal(ip: number, tsMicros: number): Signal {
  reused.ip = ip;
  reused.tsMicros = tsMicros;
  packet.tsMicros = tsMicros;
  return reused;
}

describe('IncidentBook', () => {
  it('a million incidents opened and resolved leave it holding only what is open and the bounded history', () => {
    const opts = { quietMicros: 300e6, samples: 3, updateEveryMicros: 60e6, history: 100 };
    let opened = 0;
    let resolved = 0;
    const book = new IncidentBook(opts, (c) => { if (c.kind === 'opened') opened++; else if (c.kind === 'resolved') resolved++; });
    const peak = { open: 0, due: 0, history: 0 };
    for (let i = 0; i < 1_000_000; i++) {
      // one new IP every 10 ms of packet time: about 30,000 open at once with a 300 s quiet period
      book.record('alias-netmask', signal(0xc6336400 + i, T0 + i * 10_000), verdicts);
      if (i % 1000 === 0) {
        const z = book.sizes;
        peak.open = Math.max(peak.open, z.open);
        peak.due = Math.max(peak.due, z.due);
        peak.history = Math.max(peak.history, z.history);
      }
    }
    book.advanceTo(T0 + 1_000_000 * 10_000 + 301e6);
    expect(opened).toBe(1_000_000);
    expect(resolved).toBe(1_000_000);
    expect(book.sizes).toEqual({ open: 0, due: 0, history: 100 });
    // what is open at once is what the quiet period holds, not what was ever seen
    expect(peak.open).toBeLessThanOrEqual(30_001);
    expect(peak.due).toBeLessThanOrEqual(30_001);
    expect(peak.history).toBe(100);
    expect(book.history()[99].openedAt).toBe(T0 + 999_999 * 10_000);
  });

  it('keeps incidents of every case apart on one IP, however many cases the registry has', () => {
    const book = new IncidentBook({ quietMicros: 300e6, samples: 3, updateEveryMicros: 60e6, history: 10 }, () => {});
    for (const c of CASES) if (c.audience === 'customer') book.record(c.id, signal(0xc6336407, T0), verdicts);
    expect(book.openIncidents().map((i) => i.caseId).sort()).toEqual(CASES.filter((c) => c.audience === 'customer').map((c) => c.id).sort());
  });

  it('a portable block\'s incident carries its block\'s addresses seen as senders at each change it reports, those seen before kept', () => {
    const range = parseCidr('198.51.100.64/29');
    if (typeof range === 'string') throw new Error(range);
    const portable = { cidr: '198.51.100.64/29', range, gateway: range.network + 1, customer: { id: 'c', name: 'C', email: 'c@example.net', locale: 'en' as const, muted: false }, vlan: 100 };
    const inBlock: VerdictSource = {
      verdict: (s, caseId) => ({ ...nobodysVerdict(caseId, s.ip), portable: s.ip >= range.network && s.ip <= range.broadcast ? portable : null }),
      reverdict: (k) => nobodysVerdict(k.caseId, k.ip),
    };
    // what the detector tracks: .66 and .67 at first, then .67 swept out and .69 seen
    let seen = [range.network + 2, range.network + 3];
    const asked: Array<[number, number]> = [];
    const senders: SendersSeen = { sendersWithin: (a, b) => { asked.push([a, b]); return seen.filter((ip) => ip >= a && ip <= b); } };
    const changes: Array<[IncidentChange['kind'], number[] | undefined]> = [];
    const book = new IncidentBook({ quietMicros: 300e6, samples: 3, updateEveryMicros: 60e6, history: 10, senders }, (c) => changes.push([c.kind, c.incident.blockSenders && [...c.incident.blockSenders]]));
    book.record('portable-block-unusable', signal(range.broadcast, T0), inBlock);
    seen = [range.network + 2, range.network + 5];
    book.record('portable-block-unusable', signal(range.broadcast, T0 + 61e6), inBlock);
    // an incident outside any portable block asks for nothing and carries nothing
    book.record('alias-netmask', signal(0xc6336407, T0 + 62e6), inBlock);
    book.advanceTo(T0 + 400e6);
    const block = [range.network + 2, range.network + 3, range.network + 5];
    expect(changes).toEqual([
      ['opened', block.slice(0, 2)], ['updated', block], ['opened', undefined], ['resolved', block], ['resolved', undefined],
    ]);
    expect(asked.every(([a, b]) => a === range.network && b === range.broadcast)).toBe(true);
    expect(asked).toHaveLength(3);
    expect((book.history() as readonly Incident[]).map((i) => i.blockSenders)).toEqual([block, undefined]);
  });
});

describe('IncidentBook: evidence by persistence alone keeps an incident open longer than the quiet period', () => {
  const persistence = { periodSeconds: 60, periods: 5, horizonSeconds: 1800 };
  const opts = { quietMicros: 300e6, samples: 3, updateEveryMicros: 60e6, history: 10, persistence };
  /** alias-netmask's signal at `ts` with these window count and periods (signal() hands back one object: reset after) */
  const record = (book: IncidentBook, ts: number, count: number, periods: number): void => {
    const s = signal(0xc6336407, ts);
    s.count = count;
    s.periods = periods;
    book.record('alias-netmask', s, verdicts);
    s.count = 10;
    s.periods = 0;
  };
  const resolvedAt = (count: number, periods: number): number | null => {
    const book = new IncidentBook(opts, () => {});
    record(book, T0, count, periods);
    book.advanceTo(T0 + 3600e6);
    return book.history()[0]?.resolvedAt ?? null;
  };

  it('under the window threshold, by persistence: 8 minutes (its next event, up to 7 minutes later, would still be evidence)', () => {
    expect(resolvedAt(1, 5)).toBe(T0 + 480e6);
  });

  it('at the threshold (a burst), persistent or not: the quiet period', () => {
    expect(resolvedAt(10, 0)).toBe(T0 + 300e6);
    expect(resolvedAt(12, 6)).toBe(T0 + 300e6);
  });

  it('restored after a restart, opened by persistence: 8 minutes after its last evidence too', () => {
    const book = new IncidentBook(opts, () => {});
    record(book, T0, 1, 5);
    const [inc] = book.openIncidents();
    const again = new IncidentBook(opts, () => {});
    again.restore([{ incident: { ...inc, resolvedAt: null }, tally: null, otherMac: 0 }], verdicts, T0 + 60e6);
    again.advanceTo(T0 + 3600e6);
    expect(again.history()[0].resolvedAt).toBe(T0 + 480e6);
  });

  it('restored after a restart, opened by a burst and kept by persistence since: its last persistent evidence is saved, so 8 minutes still', () => {
    const book = new IncidentBook(opts, () => {});
    record(book, T0, 12, 0);
    // four minutes later (within the quiet period), one slow question counted by persistence alone
    record(book, T0 + 240e6, 1, 5);
    const [inc] = book.openIncidents();
    expect(inc.openedByPersistence).toBeUndefined();
    const saved = book.persistentEvidenceAt(inc);
    expect(saved).toBe(T0 + 240e6);
    const again = new IncidentBook(opts, () => {});
    again.restore([{ incident: { ...inc, resolvedAt: null }, tally: null, otherMac: 0, persistentAt: saved }], verdicts, T0 + 250e6);
    again.advanceTo(T0 + 3600e6);
    // not 5 minutes after it (T0 + 540e6), when its next slow question would reopen it as another incident
    expect(again.history()[0].resolvedAt).toBe(T0 + 240e6 + 480e6);
  });
});
