import { describe, expect, it } from 'vitest';
import { arp, T0 } from '../../test/helpers/arp.js';
import { type Signal, SignalKind } from '../detect/signal.js';
import { FloodTally, floodId, MAX_TALLIED_SENDERS, TOP_SENDERS } from './flood.js';
import type { IncidentChange } from './incident.js';
import { IncidentBook, type IncidentBookOptions } from './incident-book.js';
import { nobodysVerdicts } from '../../test/helpers/verdicts.js';

const verdicts = nobodysVerdicts;

const packet = arp({ t: 0, from: '10.0.0.1', mac: '02:00:00:00:00:01', target: '198.51.100.7', vlan: 100 });

function signal(ip: number, tsMicros: number, vlan = 100, kind = SignalKind.ROUTED_IP_TARGET): Signal {
  packet.tsMicros = tsMicros;
  packet.senderIp = ip;
  return { kind, ip, mac: 0x020000000000 + (ip & 0xffffff), previousMac: 0, distinctMacs: 1, vlan, tsMicros, count: 10, threshold: 10, periods: 0, packet };
}

const OPTS = { quietMicros: 300e6, samples: 5, updateEveryMicros: 60e6, history: 100, floodSenders: 20 };
const SENDER0 = 0x0a000001; // 10.0.0.1

function book(opts: IncidentBookOptions = OPTS): { book: IncidentBook; changes: IncidentChange[] } {
  const changes: IncidentChange[] = [];
  return { book: new IncidentBook(opts, (c) => changes.push({ kind: c.kind, incident: c.incident })), changes };
}

describe('FloodTally', () => {
  it('tallies each sender exactly up to its cap, then counts the rest together and says "at least"', () => {
    const t = new FloodTally(T0, 3);
    t.add(1, 5);
    t.add(2, 1);
    t.add(1, 2);
    t.add(3, 9);
    expect({ count: t.count, atLeast: t.atLeast }).toEqual({ count: 3, atLeast: false });
    expect(t.isNew(4)).toBe(false); // full: a new sender cannot be told from a known untallied one
    t.add(4, 100);
    expect({ count: t.count, atLeast: t.atLeast, untallied: t.untalliedEvents }).toEqual({ count: 3, atLeast: true, untallied: 100 });
    expect(t.top()).toEqual([{ ip: 3, events: 9 }, { ip: 1, events: 7 }, { ip: 2, events: 1 }]);
  });

  it('names the top senders, most events first, at most TOP_SENDERS, and keeps them once frozen', () => {
    const t = new FloodTally(T0);
    for (let ip = 1; ip <= 50; ip++) t.add(ip, (ip * 37) % 101);
    const want = Array.from({ length: 50 }, (_, i) => ({ ip: i + 1, events: ((i + 1) * 37) % 101 }))
      .sort((a, b) => b.events - a.events).slice(0, TOP_SENDERS);
    expect(t.top()).toEqual(want);
    t.freeze();
    expect(t.top()).toEqual(want);
    expect(() => t.add(1, 1)).toThrow();
  });

  it('the flood id comes from the VLAN and the opening time only', () => {
    expect(floodId(100, T0)).toBe(floodId(100, T0));
    expect(floodId(100, T0)).toMatch(/^flood-vlan100-[0-9a-f]{10}$/);
    expect(floodId(-1, T0)).toMatch(/^flood-untagged-/);
    expect(floodId(101, T0)).not.toBe(floodId(100, T0));
    expect(floodId(100, T0 + 1)).not.toBe(floodId(100, T0));
  });
});

describe('IncidentBook floods', () => {
  it('below the threshold, noise stays one incident per IP', () => {
    const { book: b } = book();
    for (let i = 0; i < 19; i++) b.record('noise', signal(SENDER0 + i, T0 + i * 1e6), verdicts);
    expect(b.openIncidents().map((i) => i.caseId)).toEqual(Array(19).fill('noise'));
  });

  it('the threshold-th noise incident open in one VLAN folds them all into one flood, which takes the VLAN\'s further noise', () => {
    const { book: b, changes } = book();
    for (let i = 0; i < 20; i++) b.record('noise', signal(SENDER0 + i, T0 + i * 1e6), verdicts);
    const open = b.openIncidents();
    expect(open.map((i) => i.caseId)).toEqual(['flood']);
    const f = open[0];
    expect(f).toMatchObject({ ip: 0, vlan: 100, openedAt: T0 + 19e6, foldedInto: null });
    expect(f.id).toBe(floodId(100, T0 + 19e6));
    expect(f.folded).toHaveLength(20);
    expect(f.counts).toEqual({ routed_ip_target: 200 });
    expect(f.flood!.count).toBe(20);
    expect(f.flood!.firstSeen).toBe(T0);
    // one sample of each member in turn: a flood's evidence is its many senders
    expect(f.samples).toHaveLength(5);
    expect(new Set(f.samples).size).toBe(5);
    expect(changes.filter((c) => c.kind === 'folded').map((c) => c.incident.foldedInto)).toEqual(Array(20).fill(f.id));
    expect(changes.findIndex((c) => c.incident === f && c.kind === 'opened')).toBeLessThan(changes.findIndex((c) => c.kind === 'folded'));

    // more senders go to the flood: a new one brings its window's events, a known one one per signal
    b.record('noise', signal(SENDER0 + 500, T0 + 30e6), verdicts);
    b.record('noise', signal(SENDER0 + 500, T0 + 31e6), verdicts);
    b.record('noise', signal(SENDER0, T0 + 32e6), verdicts);
    expect(b.openIncidents()).toEqual([f]);
    expect(f.flood!.count).toBe(21);
    expect(f.counts).toEqual({ routed_ip_target: 212 });
    // ties keep the order senders were first tallied in
    expect(f.flood!.top().slice(0, 3)).toEqual([{ ip: SENDER0, events: 11 }, { ip: SENDER0 + 500, events: 11 }, { ip: SENDER0 + 1, events: 10 }]);
    expect(f.lastSeen).toBe(T0 + 32e6);
  });

  it('other VLANs and customer cases are not part of it', () => {
    const { book: b } = book();
    for (let i = 0; i < 20; i++) b.record('noise', signal(SENDER0 + i, T0 + i * 1e6), verdicts);
    b.record('noise', signal(SENDER0 + 1000, T0 + 21e6, 200), verdicts);
    b.record('alias-netmask', signal(0xc6336407, T0 + 22e6, 100, SignalKind.OFF_LINK_TARGET), verdicts);
    // noise of an IP with its customer case open goes to the case, flood or not
    b.record('noise', signal(0xc6336407, T0 + 23e6, 100, SignalKind.UNRESOLVED_ARP), verdicts);
    const open = b.openIncidents();
    expect(open.map((i) => `${i.caseId} ${i.vlan}`).sort()).toEqual(['alias-netmask 100', 'flood 100', 'noise 200']);
    expect(open.find((i) => i.caseId === 'alias-netmask')!.counts).toEqual({ off_link_target: 10, unresolved_arp: 10 });
    expect(open.find((i) => i.caseId === 'flood')!.flood!.count).toBe(20);
  });

  it('resolves after the quiet period like any incident; the VLAN\'s next noise opens per IP again, and a later flood is a new one', () => {
    const { book: b, changes } = book();
    for (let i = 0; i < 20; i++) b.record('noise', signal(SENDER0 + i, T0 + i * 1e6), verdicts);
    const first = b.openIncidents()[0];
    b.advanceTo(T0 + 19e6 + 300e6);
    expect(first.resolvedAt).toBe(T0 + 19e6 + 300e6);
    expect(changes.at(-1)).toMatchObject({ kind: 'resolved', incident: first });
    expect(b.sizes.open).toBe(0);
    // a resolved flood keeps what it shows
    expect(first.flood!.count).toBe(20);
    expect(first.flood!.top()).toHaveLength(TOP_SENDERS);

    const t1 = T0 + 400e6;
    b.record('noise', signal(SENDER0, t1), verdicts);
    expect(b.openIncidents().map((i) => i.caseId)).toEqual(['noise']);
    for (let i = 1; i < 20; i++) b.record('noise', signal(SENDER0 + i, t1 + i * 1e6), verdicts);
    const second = b.openIncidents()[0];
    expect(second.caseId).toBe('flood');
    expect(second.id).not.toBe(first.id);
    expect(b.known().filter((i) => i.caseId === 'flood')).toEqual([first, second]);
  });

  it('a flood of any size holds one incident and a capped tally', () => {
    const { book: b, changes } = book();
    const n = MAX_TALLIED_SENDERS * 5;
    for (let i = 0; i < n; i++) b.record('noise', signal(SENDER0 + i, T0 + i * 1000), verdicts);
    expect(b.sizes.open).toBe(1);
    const [f] = b.openIncidents();
    expect({ count: f.flood!.count, atLeast: f.flood!.atLeast }).toEqual({ count: MAX_TALLIED_SENDERS, atLeast: true });
    expect(f.samples).toHaveLength(OPTS.samples);
    expect(changes.filter((c) => c.kind === 'opened')).toHaveLength(21);
  });

  it('without floodSenders, noise is never folded into a flood', () => {
    const { floodSenders: _, ...noFlood } = OPTS;
    const { book: b } = book(noFlood);
    for (let i = 0; i < 100; i++) b.record('noise', signal(SENDER0 + i, T0 + i * 1e6), verdicts);
    expect(b.sizes.open).toBe(100);
  });
});
