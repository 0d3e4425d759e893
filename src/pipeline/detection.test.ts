import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arp, type PacketSpec, T0, TEST_INVENTORY } from '../../test/helpers/arp.js';
import { type DetectorConfig, defaultConfig } from '../config/schema.js';
import { emailJobFor } from '../email/job-for-incident.js';
import { incidentJson } from '../incidents/incident-json.js';
import { parseInventory } from '../inventory/load.js';
import { DetectionPipeline } from './detection.js';
import { SignalKind } from '../detect/signals.js';

const inv = parseInventory('test.yaml', TEST_INVENTORY);
const cfg = (over: Partial<DetectorConfig> = {}): DetectorConfig => ({ ...defaultConfig().detector, ...over });

const SERVER_A = '0c:c4:7a:00:00:0a';
const SERVER_B = '0c:c4:7a:00:00:0b';
const VMAC = '02:00:00:aa:bb:cc';
const ROUTER = '00:00:5e:00:01:01';
const GW = '203.0.113.254';

/** `n` frames one second apart from `t0`, built by `make(i)`. */
function every(n: number, t0: number, make: (i: number, t: number) => Omit<PacketSpec, 't'>): PacketSpec[] {
  return Array.from({ length: n }, (_, i) => ({ t: t0 + i, ...make(i, t0 + i) }));
}

function run(specs: PacketSpec[], c = cfg(), endAt?: number): ReturnType<typeof incidentJson>[] {
  const d = new DetectionPipeline(inv, c, [], { recordAll: true });
  for (const s of [...specs].sort((a, b) => a.t - b.t)) d.onArp(arp(s));
  if (endAt !== undefined) d.advanceTo(T0 + endAt * 1e6);
  return d.incidents!.map(incidentJson);
}

const cases = (incidents: ReturnType<typeof incidentJson>[]): string[] => incidents.map((i) => `${i.case} ${i.ip}`);

describe('each case of DESIGN from the frames that show it (inventory: test/helpers/arp.ts)', () => {
  it('case 1: a /24 alias asking for its neighbours from the NIC: alias-netmask', () => {
    const out = run(every(30, 0, (i) => ({ from: '198.51.100.7', mac: SERVER_A, target: `198.51.100.${20 + (i % 3)}` })), cfg(), 100);
    expect(cases(out)).toEqual(['alias-netmask 198.51.100.7']);
    expect(out[0].customer).toBe('c-1');
    expect(out[0].counts.off_link_target).toBe(30);
  });

  it('a correct /32 alias asking a neighbour of its server\'s subnet, answered: nothing (Linux sends the packet\'s source as sender)', () => {
    const asks = every(30, 0, () => ({ from: '198.51.100.7', mac: SERVER_A, target: '203.0.113.11' }));
    const answers = every(30, 0.002, () => ({ op: 'reply' as const, from: '203.0.113.11', mac: SERVER_B, target: '198.51.100.7', targetMac: SERVER_A }));
    expect(run([...asks, ...answers], cfg(), 400)).toEqual([]);
  });

  it('case 1: a /24 alias asking for another server\'s failover IP, answered by that server: alias-netmask all the same', () => {
    // the answer comes from the host that has 198.51.100.9 configured: the direct path a /32 alias never takes
    const asks = every(12, 0, () => ({ from: '198.51.100.7', mac: SERVER_A, target: '198.51.100.9' }));
    const answers = every(12, 0.0004, () => ({ op: 'reply' as const, from: '198.51.100.9', mac: SERVER_B, target: '198.51.100.7', targetMac: SERVER_A }));
    const out = run([...asks, ...answers], cfg(), 100);
    expect(cases(out)).toEqual(['alias-netmask 198.51.100.7']);
    expect(out[0].counts).toEqual({ off_link_target: 12 });
    expect(out[0].opened_at).toBe('2026-11-02T09:00:09.000400Z');
  });

  it('case 1, answered and slow (one question a minute): opened by persistence in the fifth minute', () => {
    const asks = every(8, 0, () => ({ from: '198.51.100.7', mac: SERVER_A, target: '198.51.100.9' })).map((p, i) => ({ ...p, t: 30 + 60 * i }));
    const answers = asks.map((p) => ({ t: p.t + 0.0004, op: 'reply' as const, from: '198.51.100.9', mac: SERVER_B, target: '198.51.100.7', targetMac: SERVER_A }));
    const out = run([...asks, ...answers], cfg(), 600);
    expect(cases(out)).toEqual(['alias-netmask 198.51.100.7']);
    expect(out[0].opened_at).toBe('2026-11-02T09:04:30.000400Z');
    expect(out[0].opened_by_persistence?.periods).toBe(5);
  });

  it('a correct /32 alias asking only for the gateway, answered: nothing', () => {
    const specs = every(30, 0, () => ({ from: '198.51.100.7', mac: SERVER_A, target: GW }));
    const replies = every(30, 0.001, () => ({ op: 'reply' as const, from: GW, mac: ROUTER, target: '198.51.100.7', targetMac: SERVER_A }));
    expect(run([...specs, ...replies], cfg(), 400)).toEqual([]);
  });

  it('case 1a: an unsplit block member asking outside its block, and its broadcast used as sender: block-netmask', () => {
    const out = run([
      ...every(12, 0, () => ({ from: '192.0.2.5', mac: SERVER_A, target: '192.0.2.100' })),
      ...every(6, 0.5, () => ({ from: '192.0.2.15', mac: SERVER_A, target: GW })),
    ], cfg(), 100);
    expect(cases(out).sort()).toEqual(['block-netmask 192.0.2.15', 'block-netmask 192.0.2.5']);
  });

  it('case 1b: a split-block member without virtual MAC asking off-link: split-block', () => {
    expect(cases(run(every(12, 0, () => ({ from: '192.0.2.18', mac: SERVER_B, target: '192.0.2.30' })), cfg(), 100))).toEqual(['split-block 192.0.2.18']);
  });

  it('case 2: the VM on its virtual MAC asking for the failover\'s .254: vmac-gateway', () => {
    expect(cases(run(every(12, 0, () => ({ from: '198.51.100.8', mac: VMAC, target: '198.51.100.254' }))))).toEqual(['vmac-gateway 198.51.100.8']);
  });

  it('case 2: the failover with a virtual MAC sent from another MAC: vmac-missing', () => {
    expect(cases(run(every(12, 0, () => ({ from: '198.51.100.8', mac: '52:54:00:12:34:56', target: GW }))))).toEqual(['vmac-missing 198.51.100.8']);
  });

  it('case 3: a failover without virtual MAC sent from an unknown MAC: vm-nat-gateway', () => {
    expect(cases(run(every(12, 0, () => ({ from: '198.51.100.9', mac: '52:54:00:ab:cd:ef', target: GW }))))).toEqual(['vm-nat-gateway 198.51.100.9']);
  });

  it('portable block: its gateway address used by a VM, and a VM asking outside the block: portable-block-unusable', () => {
    const out = run([
      ...every(6, 0, () => ({ from: '198.51.100.65', mac: '52:54:00:00:00:65', target: '198.51.100.66' })),
      ...every(12, 0.5, () => ({ from: '198.51.100.66', mac: '52:54:00:00:00:66', target: GW })),
    ]);
    expect(cases(out).sort()).toEqual(['portable-block-unusable 198.51.100.65', 'portable-block-unusable 198.51.100.66']);
    expect(out[0].customer).toBe('c-2');
  });

  it('duplicate: the IP still answered from the old server\'s NIC after a reroute, named as the server to clean', () => {
    const out = run(every(12, 0, (i) => ({ from: '198.51.100.9', mac: i % 2 === 0 ? SERVER_A : SERVER_B, target: GW })));
    expect(cases(out)).toEqual(['duplicate-ip 198.51.100.9']);
    expect([out[0].server, out[0].stale_server]).toEqual(['srv-b', 'srv-a']);
  });

  it('a server\'s main IP seen from two MACs in turn (another host holding it, bonding\'s second NIC): an address conflict for the NOC, no email', () => {
    // it was mailed to the customer as a duplicate to remove from srv-a, the server whose main IP it is
    const d = new DetectionPipeline(inv, cfg(), [], { recordAll: true });
    for (let i = 0; i < 12; i++) d.onArp(arp({ t: i * 5, from: '203.0.113.10', mac: i % 2 === 0 ? SERVER_A : '52:54:00:00:00:10', target: GW }));
    const [inc, ...more] = d.incidents!;
    expect(more).toEqual([]);
    expect(`${inc.caseId} ${inc.verdict.customer?.id} ${inc.verdict.server?.id}`).toBe('duplicate-ip c-1 srv-a');
    expect(inc.verdict.staleServer).toBeNull();
    expect(inc.verdict.emailable).toBe(false);
    expect(emailJobFor(inc, 60)).toBeNull();
  });

  it('noise: a main IP sweeping the VLAN, unanswered: NOC only', () => {
    const d = new DetectionPipeline(inv, cfg(), [], { recordAll: true });
    for (let i = 0; i < 200; i++) d.onArp(arp({ t: i * 0.1, from: '203.0.113.10', mac: SERVER_A, target: `203.0.113.${1 + (i % 200)}` }));
    d.advanceTo(T0 + 30e6);
    const [noise] = d.incidents!;
    expect(cases(d.incidents!.map(incidentJson))).toEqual(['noise 203.0.113.10']);
    expect(noise.verdict.emailable).toBe(false);
    expect(noise.counts.excessive_arp).toBeGreaterThan(0);
    expect(noise.counts.unresolved_arp).toBeGreaterThan(0);
  });

  it('excessive ARP from a failover with a case open adds to that case instead of a second incident', () => {
    const out = run(every(150, 0, (i) => ({ from: '198.51.100.7', mac: SERVER_A, target: `198.51.100.${20 + (i % 50)}` })).map((s, i) => ({ ...s, t: i * 0.2 })));
    expect(cases(out)).toEqual(['alias-netmask 198.51.100.7']);
    expect(out[0].counts.excessive_arp).toBeGreaterThan(0);
  });

  it('vRack and the routers\' own ARP are never incidents', () => {
    expect(run([
      ...every(200, 0, (i) => ({ from: '100.64.0.9', mac: '52:54:00:00:00:09', target: `100.64.1.${i % 250}` })),
      ...every(200, 0, (i) => ({ from: GW, mac: ROUTER, target: `203.0.113.${i % 250}` })),
    ], cfg(), 100)).toEqual([]);
  });

  it('an incident resolves after the quiet period, on packet time', () => {
    const out = run(every(12, 0, () => ({ from: '198.51.100.9', mac: '52:54:00:ab:cd:ef', target: GW })), cfg({ quiet_period_seconds: 120 }), 500);
    expect(out[0].resolved_at).toBe('2026-11-02T09:02:11.000000Z');
    const stillOpen = run(every(12, 0, () => ({ from: '198.51.100.9', mac: '52:54:00:ab:cd:ef', target: GW })), cfg({ quiet_period_seconds: 120 }), 100);
    expect(stillOpen[0].resolved_at).toBeNull();
  });

  it('under the threshold: nothing (9 off-link requests in a minute)', () => {
    expect(run(every(9, 0, () => ({ from: '198.51.100.7', mac: SERVER_A, target: '198.51.100.30' })), cfg(), 100)).toEqual([]);
  });
});

/** Random ARP among the test inventory's addresses and strangers, time moving forward with some jitter back. */
const packetArb = fc.record({
  dt: fc.double({ min: -0.5, max: 3, noNaN: true }),
  op: fc.constantFrom<'request' | 'reply'>('request', 'reply'),
  from: fc.constantFrom('198.51.100.7', '198.51.100.8', '198.51.100.9', '192.0.2.5', '192.0.2.15', '192.0.2.18', '198.51.100.65', '198.51.100.70', '203.0.113.10', GW, '100.64.0.1', '0.0.0.0', '203.0.113.77'),
  mac: fc.constantFrom(SERVER_A, SERVER_B, VMAC, ROUTER, '52:54:00:00:00:01', '52:54:00:00:00:02'),
  target: fc.constantFrom(GW, '198.51.100.7', '198.51.100.30', '192.0.2.100', '203.0.113.10', '198.51.100.254', '100.64.0.2'),
});

function toSpecs(raw: { dt: number; op: 'request' | 'reply'; from: string; mac: string; target: string }[]): PacketSpec[] {
  let t = 0;
  return raw.map((r) => {
    t = Math.max(0, t + r.dt);
    return { t, op: r.op, from: r.from, mac: r.mac, target: r.target };
  });
}

describe('properties of the detection pipeline', () => {
  const small = cfg({ thresholds: { ...cfg().thresholds, off_link_target: 3, mac_mismatch: 3, wrong_gateway: 3, unresolved_arp: 3, excessive_arp: 6, unusable_address: 2, flip_flop: 2 }, quiet_period_seconds: 20 });

  it('random streams never throw', () => {
    fc.assert(fc.property(fc.array(packetArb, { maxLength: 400 }), (raw) => {
      const d = new DetectionPipeline(inv, small, [], { recordAll: true });
      for (const s of toSpecs(raw)) d.onArp(arp(s));
      d.advanceTo(T0 + 1e12);
    }), { numRuns: 200 });
  });

  it('incidents are identical however the stream is cut into batches (time advanced between them)', () => {
    fc.assert(fc.property(fc.array(packetArb, { minLength: 50, maxLength: 400 }), fc.array(fc.nat(), { maxLength: 20 }), (raw, cuts) => {
      const specs = toSpecs(raw);
      const whole = new DetectionPipeline(inv, small, [], { recordAll: true });
      for (const s of specs) whole.onArp(arp(s));
      const batched = new DetectionPipeline(inv, small, [], { recordAll: true });
      const at = new Set(cuts.map((c) => c % specs.length));
      specs.forEach((s, i) => {
        // a batch boundary: the pipeline is told the time of the last frame it got
        if (at.has(i) && i > 0) batched.advanceTo(arp(specs[i - 1]).tsMicros);
        batched.onArp(arp(s));
      });
      const end = T0 + (specs[specs.length - 1].t + 1000) * 1e6;
      whole.advanceTo(end);
      batched.advanceTo(end);
      expect(batched.incidents!.map(incidentJson)).toEqual(whole.incidents!.map(incidentJson));
    }), { numRuns: 150 });
  });

  it('a flood of spoofed senders never tracks more than the caps', () => {
    const capped = cfg({ max_senders: 1000, max_pending: 500 });
    const d = new DetectionPipeline(inv, capped, [], { recordAll: true });
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 0xfffffffffff })), { minLength: 3000, maxLength: 3000 }), (senders) => {
      for (const [ip, mac] of senders) {
        const p = arp({ t: 0, from: '203.0.113.1', mac: SERVER_A, target: GW });
        p.senderIp = ip >>> 0;
        p.senderMac = mac;
        d.onArp(p);
      }
      const s = d.detector.stats();
      expect(s.senders).toBeLessThanOrEqual(1000);
      expect(s.pending).toBeLessThanOrEqual(500);
    }), { numRuns: 5 });
    expect(d.detector.stats().sendersUntracked).toBeGreaterThan(0);
  });
});

describe('an inventory reload under an open incident', () => {
  const moved = parseInventory('moved.yaml', TEST_INVENTORY.replace('{ id: srv-a, customer: c-1,', '{ id: srv-a, customer: c-2,'));
  const mutedC2 = parseInventory('muted.yaml', TEST_INVENTORY
    .replace('{ id: srv-a, customer: c-1,', '{ id: srv-a, customer: c-2,')
    .replace('{ id: c-2, email: noc@example.com }', '{ id: c-2, email: noc@example.com, muted: true }'));
  const offLink = every(30, 0, (i) => ({ from: '198.51.100.7', mac: SERVER_A, target: `198.51.100.${20 + (i % 3)}` }));

  it('gives the incident the new customer, and the email goes to the new contact', () => {
    const d = new DetectionPipeline(inv, cfg(), [], { recordAll: true });
    for (const s of offLink) d.onArp(arp(s));
    const [inc] = d.incidents!;
    expect(inc.verdict.customer?.id).toBe('c-1');
    d.setInventory(moved);
    d.advanceTo(T0 + 400e6);
    expect(inc.resolvedAt).not.toBeNull();
    expect(inc.verdict.customer?.id).toBe('c-2');
    const job = emailJobFor(inc, 60);
    expect(job?.customer).toMatchObject({ id: 'c-2', email: 'noc@example.com' });
  });

  it('a customer muted by the reload gets no email for the incident already open', () => {
    const d = new DetectionPipeline(inv, cfg(), [], { recordAll: true });
    for (const s of offLink) d.onArp(arp(s));
    d.setInventory(mutedC2);
    const [inc] = d.incidents!;
    expect(inc.verdict.emailable).toBe(false);
    expect(emailJobFor(inc, 60)).toBeNull();
  });
});

describe('persistence: quiet misconfigurations, below every per-window threshold (default persistence: 5 distinct minutes in 30)', () => {
  /** one frame every `every` seconds for `minutes` minutes */
  const slow = (every: number, minutes: number, make: (i: number) => Omit<PacketSpec, 't'>): PacketSpec[] =>
    Array.from({ length: Math.floor((minutes * 60) / every) }, (_, i) => ({ t: i * every, ...make(i) }));

  it('a VM bridged without its virtual MAC, asking for its gateway every 7 s, is vmac-missing within ten minutes', () => {
    const out = run(slow(7, 10, () => ({ from: '198.51.100.8', mac: '52:54:00:12:34:56', target: GW })), cfg(), 700);
    expect(cases(out)).toEqual(['vmac-missing 198.51.100.8']);
    expect(Date.parse(out[0].opened_at) - T0 / 1000).toBeLessThan(600e3);
  });

  it('a /24 alias on an idle server asking off-link every 9 s is alias-netmask within ten minutes', () => {
    const out = run(slow(9, 10, (i) => ({ from: '198.51.100.7', mac: SERVER_A, target: `198.51.100.${20 + (i % 3)}` })), cfg(), 700);
    expect(cases(out)).toEqual(['alias-netmask 198.51.100.7']);
    expect(Date.parse(out[0].opened_at) - T0 / 1000).toBeLessThan(600e3);
    // it is under every per-window threshold: without persistence (30 periods needed) nothing opens
    const noPersistence = cfg({ persistence: { period_seconds: 60, periods: 30, horizon_seconds: 1800 } });
    expect(run(slow(9, 10, (i) => ({ from: '198.51.100.7', mac: SERVER_A, target: `198.51.100.${20 + (i % 3)}` })), noPersistence, 700)).toEqual([]);
  });

  it('one off-link question every 6 minutes for 3 hours: one incident, open while it goes on, resolved 8 minutes after the last', () => {
    // the quiet period (5 min) alone resolved it between two questions and the next reopened it: 25 incidents
    const asks = Array.from({ length: 30 }, (_, i) => ({ t: 10 + 360 * i, from: '198.51.100.7', mac: SERVER_A, target: '198.51.100.20' }));
    const open = run(asks, cfg(), 3 * 3600);
    expect(cases(open)).toEqual(['alias-netmask 198.51.100.7']);
    expect(open[0].opened_by_persistence?.periods).toBe(5);
    expect(open[0].resolved_at).toBeNull();
    const last = 10 + 360 * 29 + 3; // its timeout, when it counted
    const ended = run(asks, cfg(), last + 3600);
    expect(ended).toHaveLength(1);
    expect(Date.parse(ended[0].resolved_at!)).toBe(T0 / 1000 + (last + 480) * 1000);
  });

  it('the same slow traffic from a correctly configured host raises nothing', () => {
    // the VM with its virtual MAC asking for the host's gateway, answered
    const asks = slow(7, 10, () => ({ from: '198.51.100.8', mac: VMAC, target: GW }));
    const replies = asks.map((a) => ({ t: a.t + 0.001, op: 'reply' as const, from: GW, mac: ROUTER, target: '198.51.100.8', targetMac: VMAC }));
    expect(run([...asks, ...replies], cfg(), 700)).toEqual([]);
  });

  it('one stray mismatched frame (or four, in four minutes) is not persistent', () => {
    expect(run([{ t: 5, from: '198.51.100.8', mac: '52:54:00:12:34:56', target: GW }], cfg(), 700)).toEqual([]);
    const four = [0, 60, 120, 180].map((t) => ({ t, from: '198.51.100.8', mac: '52:54:00:12:34:56', target: GW }));
    expect(run(four, cfg(), 700)).toEqual([]);
  });

  it('a noise sender (no routed IP) stays under its thresholds: persistence is for routed IPs only', () => {
    expect(run(slow(5, 10, (i) => ({ from: '203.0.113.77', mac: '52:54:00:aa:aa:aa', target: `203.0.113.${100 + (i % 50)}` })), cfg(), 700)).toEqual([]);
  });
});

describe('routed_ip_target across a reload (the detector keeps the /24s of routed addresses, rebuilt with the inventory)', () => {
  // 203.0.113.10 (a server, not routed) asks for 192.0.2.200: no routed address in 192.0.2.0/24 beyond the blocks' /28s, then a failover
  const withFailover = parseInventory('added.yaml', TEST_INVENTORY.replace('failover_ips:\n', 'failover_ips:\n  - { ip: 192.0.2.200, server: srv-b }\n  - { ip: 198.18.0.5, server: srv-b }\n'));
  const asks = (t0: number, target: string): PacketSpec[] => every(5, t0, () => ({ from: '203.0.113.10', mac: SERVER_A, target }));

  it('counts questions for a failover IP added by the reload, in a /24 that held none, and only after it', () => {
    const d = new DetectionPipeline(inv, cfg(), [], { recordAll: true });
    const kind = SignalKind.ROUTED_IP_TARGET;
    for (const s of asks(0, '192.0.2.200')) d.onArp(arp(s));
    for (const s of asks(0, '198.18.0.5')) d.onArp(arp(s));
    expect(d.detector.windowCount(0xcb00710a, kind)).toBe(0);
    d.setInventory(withFailover);
    for (const s of asks(5, '192.0.2.200')) d.onArp(arp(s));
    expect(d.detector.windowCount(0xcb00710a, kind)).toBe(5);
    for (const s of asks(10, '198.18.0.5')) d.onArp(arp(s));
    expect(d.detector.windowCount(0xcb00710a, kind)).toBe(10);
    // and a block's addresses outside its failovers' /24s count from the start
    for (const s of asks(15, '192.0.2.5')) d.onArp(arp(s));
    expect(d.detector.windowCount(0xcb00710a, kind)).toBe(15);
  });
});
