/**
 * The cases of the seeds (shared/seeds/*.txt) produced by real Linux hosts and
 * detected live by `arpwarden capture`, as on the router's span port.
 *
 * One provider VLAN (a bridge flooding every frame, see provider-vlan.ts) joins
 * a router (203.0.113.254, MAC 00:00:5e:00:01:01, no proxy ARP: it answers for
 * its own address only, and routes the failover IPs to their servers), four
 * servers, three VMs bridged onto the VLAN, and the capture's span port. The
 * test configures the hosts the wrong way the seeds describe, lets their
 * kernels send ARP (ping, arping), and checks the incidents the capture
 * reports; then configures the same hosts as the seeds say, sends the same
 * traffic, and checks that nothing is reported.
 *
 * Thresholds: the defaults want 10 off-link, wrong-gateway or MAC-mismatch
 * frames per 60 s window; the test's config lowers those three to 5 (and the
 * reply timeout to 1 s) so that a few seconds of traffic per host do. Every case
 * runs at once in one capture: their IPs, MACs and hosts are disjoint, and the
 * detector keeps its evidence per sender IP.
 *
 * The wrong configurations' run is also the proof of DESIGN.md's promise that "a
 * replay of a capture gives the same incidents as the live run did": tcpdump
 * records the span port while the capture runs, with the capture's own filter,
 * and that file, replayed in this process with the same inventory and config,
 * must give the live run's incidents field by field, and the same twice over.
 * Both packet sockets read the same skb, so a frame carries the same kernel
 * timestamp in both, provided the kernel stamped the skb: it does so only while
 * some socket wants receive timestamps, and the run holds one open for that
 * (see holdReceiveTimestamps in captures.ts).
 *
 * Needs root (see netns.ts); about 20 s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/capture/file-source.js';
import { replayJson } from '../../src/cli/summary-output.js';
import { loadConfig } from '../../src/config/load.js';
import { incidentJson, type IncidentJson } from '../../src/incidents/incident-json.js';
import { loadInventory } from '../../src/inventory/load.js';
import { replayFile } from '../../src/pipeline/replay.js';
import { ArpwardenCapture, type CaptureResult } from './arpwarden-capture.js';
import { holdReceiveTimestamps, readTcpdumpFile, startTcpdump, type TcpdumpFrame, type TcpdumpStats } from './captures.js';
import { assertNetnsUsable, netnsAvailability, NetnsLab, removeStaleNamespaces, type Netns } from './netns.js';
import { G, labInventory, ROUTER, type Server, setUpRouter, sleep, SPAN_FILTER, SRV_A, SRV_B, SRV_C } from './provider-lab.js';
import { ProviderVlan } from './provider-vlan.js';
import { parseIsoMicros } from '../helpers/iso-micros.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);

// ---------------------------------------------------------------- the provider's inventory

/** 198.51.100.32 was routed here, and was left configured after the reroute */
const SRV_D: Server = { id: 'srv-d', customer: 'c-4', ip: '203.0.113.31', mac: '0c:c4:7a:00:00:1f' };
/** where 198.51.100.32 is routed now */
const SRV_E: Server = { id: 'srv-e', customer: 'c-4', ip: '203.0.113.32', mac: '0c:c4:7a:00:00:20' };

/** failover on srv-a, no virtual MAC: an alias */
const F_ALIAS = '198.51.100.7';
/** failover on srv-a with a virtual MAC: a VM bridged onto the VLAN */
const F_VMAC = '198.51.100.8';
const VMAC = '02:00:00:aa:bb:cc';
/** failover on srv-b, no virtual MAC, used by a VM */
const F_NAT = '198.51.100.9';
/** failover on srv-c with a virtual MAC */
const F_MISS = '198.51.100.21';
const VMAC_MISS = '02:00:00:3f:21:7e';
/** failover rerouted from srv-d to srv-e */
const F_DUP = '198.51.100.32';
/** RIPE block routed to srv-a, not split: its netmask is /28; a member used by srv-a */
const BLOCK = { cidr: '192.0.2.0/28', prefix: 28, member: '192.0.2.5' };
/** RIPE block split: its member 192.0.2.19 is routed to srv-b like a failover */
const SPLIT = { cidr: '192.0.2.16/28', member: '192.0.2.19' };
/** the VMs' own MACs (a hypervisor's 52:54:00 prefix), unknown to the inventory */
const VM_NAT_MAC = '52:54:00:5e:00:09';
const VM_MISS_OWN_MAC = '52:54:00:5e:00:21';

const INVENTORY = labInventory({
  writer: 'test/e2e/detector-cases.test.ts',
  servers: [SRV_A, SRV_B, SRV_C, SRV_D, SRV_E],
  failovers: [
    `{ ip: ${F_ALIAS}, server: ${SRV_A.id} }`,
    `{ ip: ${F_VMAC}, server: ${SRV_A.id}, virtual_mac: "${VMAC}" }`,
    `{ ip: ${F_NAT}, server: ${SRV_B.id} }`,
    `{ ip: ${F_MISS}, server: ${SRV_C.id}, virtual_mac: "${VMAC_MISS}" }`,
    `{ ip: ${F_DUP}, server: ${SRV_E.id} }`,
  ],
  blocks: [
    `{ cidr: ${BLOCK.cidr}, server: ${SRV_A.id}, split: false }`,
    `{ cidr: ${SPLIT.cidr}, split: true, members: [ { ip: ${SPLIT.member}, server: ${SRV_B.id} } ] }`,
  ],
});

/** The counts a case needs (see the header): what the traffic below must exceed. */
const THRESHOLD = 5;
const CONFIG = `# written by test/e2e/detector-cases.test.ts: the defaults are 10 per 60 s window;
# ${THRESHOLD} keeps the test's traffic to a few seconds per host.
detector:
  reply_timeout_seconds: 1
  thresholds: { off_link_target: ${THRESHOLD}, wrong_gateway: ${THRESHOLD}, mac_mismatch: ${THRESHOLD} }
`;

/** Resolutions (or unanswered pings) per host and address: past THRESHOLD with a margin. */
const ROUNDS = 8;
/** Addresses nobody has: a host with too wide a netmask asks for them on the VLAN, and nobody answers. */
const ABSENT_FAILOVERS = ['198.51.100.100', '198.51.100.101', '198.51.100.102'];
const ABSENT_OUTSIDE_BLOCK = ['192.0.2.100', '192.0.2.101', '192.0.2.102'];
const ABSENT_IN_SPLIT_NET = ['192.0.2.200', '192.0.2.201', '192.0.2.202'];
/** Seconds a ping waits: for an answer that comes (returns at once), and for one that never does (the kernel gives up after 0.3 s). */
const ANSWER_WAIT = 2;
const NO_ANSWER_WAIT = 0.4;

describe.skipIf(availability.skip)('the seeds\' cases, from real hosts on a provider VLAN, through `arpwarden capture`', () => {
  const lab = new NetnsLab('dc-');
  let tmp = '';
  let inventory = '';
  let config = '';
  let router: Netns;
  let srvA: Netns;
  let srvB: Netns;
  let srvD: Netns;
  let srvE: Netns;
  let vmVmac: Netns;
  let vmNat: Netns;
  let vmMiss: Netns;
  let cap: Netns;

  beforeAll(async () => {
    await assertNetnsUsable(['ping', 'arping', 'tcpdump', 'sysctl']);
    await removeStaleNamespaces();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aw-e2e-cases-'));
    inventory = path.join(tmp, 'inventory.yaml');
    config = path.join(tmp, 'config.yaml');
    await writeFile(inventory, INVENTORY);
    await writeFile(config, CONFIG);

    const vlan = await ProviderVlan.create(await lab.namespace('vlan'));
    [router, srvA, srvB, srvD, srvE, vmVmac, vmNat, vmMiss, cap] = await Promise.all(
      ['router', 'srv-a', 'srv-b', 'srv-d', 'srv-e', 'vm-vmac', 'vm-nat', 'vm-miss', 'cap'].map((n) => lab.namespace(n)));
    const plugged: [Netns, string | undefined][] = [
      [router, ROUTER.mac], [srvA, SRV_A.mac], [srvB, SRV_B.mac], [srvD, SRV_D.mac], [srvE, SRV_E.mac],
      [vmVmac, VMAC], [vmNat, VM_NAT_MAC], [vmMiss, VM_MISS_OWN_MAC],
    ];
    for (const [ns, mac] of plugged) await vlan.plug(ns, 'eth0', mac);
    await vlan.span(cap, 'span0');
    // the VM of srv-b also has a private link to its host, for when it is routed through it (case 3's fix)
    await lab.veth({ ns: srvB, name: 'tap0' }, { ns: vmNat, name: 'eth1' });

    for (const ns of plugged.map(([ns]) => ns)) {
      for (const dev of ['eth0', ...extraLinks(ns)]) {
        // an unanswered address is given up after 3 requests 100 ms apart (not 1 s): the same ARP, sooner
        await ns.neighParam(dev, 'retrans_time_ms', 100);
        // no unicast re-probe of a stale neighbour in the middle of a run
        await ns.neighParam(dev, 'delay_first_probe_time', 60);
      }
    }

    // The router answers ARP for its own address only (no proxy ARP) and routes each failover
    // to its server's main IP; a failover with a virtual MAC goes straight to that MAC.
    await setUpRouter(router,
      [[F_ALIAS, SRV_A.ip], [F_NAT, SRV_B.ip], [F_DUP, SRV_E.ip], [BLOCK.cidr, SRV_A.ip], [SPLIT.member, SRV_B.ip]],
      [[F_VMAC, VMAC], [F_MISS, VMAC_MISS]]);
  });

  afterAll(async () => {
    await lab.cleanup();
    if (tmp !== '') await rm(tmp, { recursive: true, force: true });
  });

  // ---------------------------------------------------------------- host configuration

  /** The links of each host besides its VLAN port eth0 (srv-b and its VM share a private one). */
  const extraLinks = (ns: Netns): string[] => (ns === srvB ? ['tap0'] : ns === vmNat ? ['eth1'] : []);

  /** Back to a host with no address, route or neighbour, no forwarding, every link down (eth0 with `mac` if given). */
  async function reset(ns: Netns, mac?: string): Promise<void> {
    for (const dev of ['eth0', ...extraLinks(ns)]) {
      await ns.ip('addr', 'flush', 'dev', dev);
      await ns.ip('link', 'set', dev, 'down');
    }
    await ns.ip('route', 'flush', 'table', 'main');
    await ns.ip('neigh', 'flush', 'all');
    if (mac !== undefined) await ns.ip('link', 'set', 'eth0', 'address', mac);
    await ns.sysctl('net.ipv4.ip_forward', 0);
  }

  /** The wrong configurations of the seeds, one per host. */
  async function configureWrong(): Promise<void> {
    await Promise.all([srvA, srvB, srvD, srvE, vmVmac, vmNat].map((ns) => reset(ns)));
    await reset(vmMiss, VM_MISS_OWN_MAC);
    // case 1: the failover as an alias with the server's /24 netmask instead of /32
    // case 1a: a member of the unsplit /28 block with a /24 netmask
    await srvA.addAddress('eth0', `${SRV_A.ip}/24`);
    await srvA.addAddress('eth0', `${F_ALIAS}/24`);
    await srvA.addAddress('eth0', `${BLOCK.member}/24`);
    // case 1b: a member of a split block with a /24 netmask instead of /32
    await srvB.addAddress('eth0', `${SRV_B.ip}/24`);
    await srvB.addAddress('eth0', `${SPLIT.member}/24`);
    // case 2, wrong gateway: the VM has its virtual MAC, but a /24 and the failover's own .254 as gateway
    await vmVmac.addAddress('eth0', `${F_VMAC}/24`);
    await vmVmac.addRoute('203.0.113.0/24', '198.51.100.254');
    // case 3: a VM bridged without virtual MAC, the failover /32 with the server's gateway G (onlink)
    await vmNat.addAddress('eth0', `${F_NAT}/32`);
    await vmNat.addRoute('203.0.113.0/24', G, { dev: 'eth0', onlink: true });
    // case 2, virtual MAC missing: right address and gateway, but the VM's own MAC instead of its virtual MAC
    await vmMiss.addAddress('eth0', `${F_MISS}/32`);
    await vmMiss.addRoute('203.0.113.0/24', G, { dev: 'eth0', onlink: true });
    // duplicate: rerouted from srv-d to srv-e, and still configured (correctly) on both
    for (const [ns, s] of [[srvD, SRV_D], [srvE, SRV_E]] as const) {
      await ns.addAddress('eth0', `${s.ip}/24`);
      await ns.addAddress('eth0', `${F_DUP}/32`);
    }
  }

  /** The same hosts as the seeds say they must be configured. */
  async function configureRight(): Promise<void> {
    await Promise.all([srvA, srvB, srvD, srvE, vmVmac, vmNat].map((ns) => reset(ns)));
    await reset(vmMiss, VMAC_MISS);
    // an alias failover: netmask 255.255.255.255, no gateway of its own; the block: its own /28
    await srvA.addAddress('eth0', `${SRV_A.ip}/24`);
    await srvA.addAddress('eth0', `${F_ALIAS}/32`);
    await srvA.addAddress('eth0', `${BLOCK.member}/${BLOCK.prefix}`);
    // a split block's member follows the failover rules: /32
    await srvB.addAddress('eth0', `${SRV_B.ip}/24`);
    await srvB.addAddress('eth0', `${SPLIT.member}/32`);
    // case 3's fix: the VM is routed through its host, its gateway is the host's main IP M
    await srvB.sysctl('net.ipv4.ip_forward', 1);
    await srvB.up('tap0');
    await srvB.addDeviceRoute(`${F_NAT}/32`, 'tap0');
    await vmNat.addAddress('eth1', `${F_NAT}/32`);
    await vmNat.addRoute('203.0.113.0/24', SRV_B.ip, { dev: 'eth1', onlink: true });
    // case 2's fix: the VM carries its virtual MAC and uses the host server's gateway G
    for (const [ns, ip] of [[vmVmac, F_VMAC], [vmMiss, F_MISS]] as const) {
      await ns.addAddress('eth0', `${ip}/32`);
      await ns.addRoute('203.0.113.0/24', G, { dev: 'eth0', onlink: true });
    }
    // the duplicate's fix: removed from srv-d, only on srv-e where it is routed
    await srvD.addAddress('eth0', `${SRV_D.ip}/24`);
    await srvE.addAddress('eth0', `${SRV_E.ip}/24`);
    await srvE.addAddress('eth0', `${F_DUP}/32`);
  }

  // ---------------------------------------------------------------- traffic

  /** One ping from `src` (`ping -I`), waiting `wait` seconds for the answer; true when answered. */
  async function ping(ns: Netns, src: string, dst: string, wait = ANSWER_WAIT): Promise<boolean> {
    const r = await ns.exec(['ping', '-n', '-q', '-c', '1', '-W', String(wait), '-I', src, dst], { allowFailure: true });
    return r.code === 0;
  }

  /** `rounds` fresh resolutions: the neighbour table is flushed before each ping, so the kernel asks again. Resolves with the answered pings. */
  async function resolveAndPing(ns: Netns, dev: string, src: string, dst: string,
    { rounds = ROUNDS, wait = ANSWER_WAIT }: { rounds?: number; wait?: number } = {}): Promise<number> {
    let answered = 0;
    for (let i = 0; i < rounds; i++) {
      await ns.ip('neigh', 'flush', 'dev', dev);
      if (await ping(ns, src, dst, wait)) answered++;
    }
    return answered;
  }

  /** Pings to addresses nobody answers: each makes the kernel ask 3 times and give up. */
  async function pingAbsent(ns: Netns, src: string, targets: readonly string[]): Promise<void> {
    for (const t of targets) await ping(ns, src, t, NO_ANSWER_WAIT);
  }

  /** A gratuitous ARP for `ip` (`arping -U`: who-has ip tell ip, broadcast). */
  async function announce(ns: Netns, ip: string): Promise<void> {
    await ns.exec(['arping', '-q', '-U', '-c', '1', '-W', '0.05', '-S', ip, '-i', 'eth0', ip], { allowFailure: true });
  }

  /** The same failover sent alternately from both servers: gratuitous ARP and pings from it. */
  async function duplicateTraffic(servers: readonly Netns[], ip: string, rounds: number): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      for (const ns of servers) await announce(ns, ip);
      // the router answers the one it is routed to; the other's ping is lost
      for (const ns of servers) await resolveAndPing(ns, 'eth0', ip, G, { rounds: 1, wait: NO_ANSWER_WAIT });
    }
  }

  /** A live run: what the capture printed, and tcpdump's record of the same port (its file, its frames, its counters). */
  interface Run { result: CaptureResult; file: string; wire: TcpdumpFrame[]; tcpdump: TcpdumpStats }

  /**
   * Runs a capture on the span port around `traffic`, and tcpdump beside it with the same filter, for the
   * wire's side of the story: tcpdump starts before the capture and stops after it, so its file holds every
   * frame the capture could have seen; and the kernel stamps every frame while they run, so that both read
   * the same time for it (see holdReceiveTimestamps).
   */
  async function captureAround(name: string, traffic: () => Promise<void>): Promise<Run> {
    const file = path.join(tmp, `${name}.pcap`);
    const hold = await holdReceiveTimestamps(cap);
    let result: CaptureResult;
    let stats: TcpdumpStats;
    try {
      const tcpdump = await startTcpdump(cap, 'span0', file, SPAN_FILTER);
      try {
        const capture = await ArpwardenCapture.start(cap, 'span0', { inventory, config });
        try {
          await traffic();
          // past the reply timeout (1 s) and a heartbeat (1 s): every request has settled, answered or not
          await sleep(2_500);
        } finally {
          result = await capture.stop();
        }
      } finally {
        stats = await tcpdump.stop();
      }
    } finally {
      await hold.release();
    }
    return { result, file, wire: await readTcpdumpFile(file), tcpdump: stats };
  }

  /** `file` through the replay pipeline in this process, with the inventory and config the capture was given. */
  async function replay(file: string): Promise<{ incidents: IncidentJson[]; traffic: Record<string, unknown> }> {
    const run = await replayFile(new FileSource(file), loadConfig(config), loadInventory(inventory));
    const { file: _file, ...traffic } = replayJson(file, run);
    return { incidents: run.detection?.incidents!.map(incidentJson) ?? [], traffic };
  }

  // ---------------------------------------------------------------- the cases

  it('each wrong configuration opens its own case, on its IP, for its customer, in one live capture', async () => {
    await configureWrong();
    const { result, wire, file, tcpdump } = await captureAround('wrong', async () => {
      await Promise.all([
        // case 1 and 1a on srv-a: who-has 198.51.100.x tell 198.51.100.7, who-has 192.0.2.x tell 192.0.2.5
        pingAbsent(srvA, F_ALIAS, ABSENT_FAILOVERS),
        pingAbsent(srvA, BLOCK.member, ABSENT_OUTSIDE_BLOCK),
        // case 1b on srv-b: who-has 192.0.2.x tell 192.0.2.19
        pingAbsent(srvB, SPLIT.member, ABSENT_IN_SPLIT_NET),
        // case 2: who-has 198.51.100.254 tell 198.51.100.8, from the virtual MAC, unanswered
        pingAbsent(vmVmac, F_VMAC, [G, G, G]),
        // case 3 and case 2 without vMAC: who-has 203.0.113.254 tell F, from the VMs' own MACs; the router
        // answers the ARP, but sends the pings' answers to srv-b, and to the virtual MAC: they are lost
        resolveAndPing(vmNat, 'eth0', F_NAT, G, { wait: NO_ANSWER_WAIT }),
        resolveAndPing(vmMiss, 'eth0', F_MISS, G, { wait: NO_ANSWER_WAIT }),
        duplicateTraffic([srvD, srvE], F_DUP, ROUNDS / 2),
      ]);
    });
    const shown = describeRun(result, wire);
    // stopped by SIGTERM as systemd stops it: summary printed, and the process exits by itself
    expect(result.exit, shown).toEqual({ alone: true, code: 0, signal: null });

    const expected: Expected[] = [
      { case: 'alias-netmask', ip: F_ALIAS, customer: 'c-1', server: SRV_A.id, mac: SRV_A.mac, signal: 'off_link_target' },
      { case: 'block-netmask', ip: BLOCK.member, customer: 'c-1', server: SRV_A.id, mac: SRV_A.mac, signal: 'off_link_target' },
      { case: 'split-block', ip: SPLIT.member, customer: 'c-2', server: SRV_B.id, mac: SRV_B.mac, signal: 'off_link_target' },
      { case: 'vmac-gateway', ip: F_VMAC, customer: 'c-1', server: SRV_A.id, mac: VMAC, signal: 'wrong_gateway' },
      { case: 'vm-nat-gateway', ip: F_NAT, customer: 'c-2', server: SRV_B.id, mac: VM_NAT_MAC, signal: 'mac_mismatch' },
      { case: 'vmac-missing', ip: F_MISS, customer: 'c-3', server: SRV_C.id, mac: VM_MISS_OWN_MAC, signal: 'mac_mismatch' },
      { case: 'duplicate-ip', ip: F_DUP, customer: 'c-4', server: SRV_E.id, stale_server: SRV_D.id, signal: 'mac_mismatch|flip_flop' },
    ];
    const key = (i: { case: string; ip: string | null }): string => `${i.case} ${i.ip}`;
    // exactly these incidents, no other (no noise, no second case on one IP)
    expect(result.summary.incidents.map(key).sort(), shown).toEqual(expected.map(key).sort());
    // reported live, as each opened, and still open at the end
    expect(result.events.filter((e) => e.event === 'incident_opened').map((e) => key(e.incident)).sort(), shown).toEqual(expected.map(key).sort());
    for (const want of expected) {
      const got = result.summary.incidents.find((i) => key(i) === key(want));
      expect(got, shown).toMatchObject({
        customer: want.customer, server: want.server, resolved_at: null,
        ...(want.mac !== undefined ? { mac: want.mac } : {}),
        stale_server: want.stale_server ?? null,
      });
      // opened by the signal this case is about, at the threshold or past it
      const counted = want.signal.split('|').map((s) => got?.counts[s] ?? 0);
      expect(Math.max(...counted), `${key(want)}: ${JSON.stringify(got?.counts)}\n${shown}`).toBeGreaterThanOrEqual(THRESHOLD);
      expect(got?.samples.length, shown).toBeGreaterThan(0);
    }
    // the duplicate's evidence comes from both servers' NICs
    const dup = result.summary.incidents.find((i) => i.case === 'duplicate-ip');
    expect(dup?.samples.some((s) => s.includes(SRV_D.mac)), shown).toBe(true);

    // The file tcpdump wrote beside the capture, replayed twice in this process: the same document both times ...
    const replayed = await replay(file);
    expect(JSON.stringify(await replay(file)), 'a second replay of the same file').toBe(JSON.stringify(replayed));
    // ... from the frames the capture saw (it captured with the filter tcpdump was given): the same counts,
    // first and last packet times, VLANs and top talkers (on a failure, the message shows each side's drops)
    const drops = `capture kernel ${JSON.stringify(result.summary.kernel)}; tcpdump ${tcpdump.stderr.trim()}`;
    expect(result.stderr).toContain(`capturing on span0 (${SPAN_FILTER})`);
    // frames stamped a few µs apart on two CPUs can reach two sockets in different orders: how many went out
    // of order (and how far back) is each socket's own; everything else is the same frames counted the same way
    const ordering = new Set(['frames_out_of_order', 'max_step_back_seconds']);
    const keys = Object.keys(replayed.traffic).filter((k) => !ordering.has(k));
    const liveTraffic = Object.fromEntries(keys.map((k) => [k, result.summary.traffic[k]]));
    expect(liveTraffic, drops).toEqual(Object.fromEntries(keys.map((k) => [k, replayed.traffic[k]])));
    expect(Number(result.summary.traffic.max_step_back_seconds), 'out of order by a few µs at most').toBeLessThan(0.01);
    // ... and the live run's incidents, field by field. Matched by case and IP, not by place in the list: incidents
    // that open within a few µs (two hosts' requests expiring together) are listed in the order their frames reached
    // each socket, and that order is each socket's own (seen: alias-netmask and split-block swapped)
    const byKey = (list: readonly IncidentJson[]): IncidentJson[] => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    const liveIncidents = byKey(result.summary.incidents);
    const replayedIncidents = byKey(replayed.incidents);
    expect(replayedIncidents.map(key), shown).toEqual(liveIncidents.map(key));
    const stepBackMicros = Math.round(Math.max(Number(result.summary.traffic.max_step_back_seconds), Number(replayed.traffic.max_step_back_seconds)) * 1e6);
    for (const [n, live] of liveIncidents.entries()) {
      const again = replayedIncidents[n];
      expectSameOpening(live, again, stepBackMicros);
      expect(comparable(again, live), `${key(live)}: replay (expected: live)\n${shown}`).toEqual(comparable(live, again));
    }
  });

  it('the same hosts configured as the seeds say, sending the same ARP, raise nothing', async () => {
    await configureRight();
    const answered = new Map<string, number>();
    const count = async (what: string, p: Promise<number>): Promise<void> => { answered.set(what, await p); };
    const { result, wire } = await captureAround('right', async () => {
      await Promise.all([
        // who-has 203.0.113.254 tell 198.51.100.7 / 192.0.2.5, from srv-a's NIC: F asks for G, which is right
        (async () => {
          await count(F_ALIAS, resolveAndPing(srvA, 'eth0', F_ALIAS, G));
          await count(BLOCK.member, resolveAndPing(srvA, 'eth0', BLOCK.member, G));
        })(),
        // srv-b: its split-block member asks for G; then its routed VM's traffic, which srv-b forwards
        // from its main IP (each round srv-b forgets G, so that it asks again)
        (async () => {
          await count(SPLIT.member, resolveAndPing(srvB, 'eth0', SPLIT.member, G));
          let routed = 0;
          for (let i = 0; i < ROUNDS; i++) {
            await srvB.ip('neigh', 'flush', 'dev', 'eth0');
            routed += await resolveAndPing(vmNat, 'eth1', F_NAT, G, { rounds: 1 });
          }
          answered.set(F_NAT, routed);
        })(),
        // the VMs with their virtual MACs ask for G
        count(F_VMAC, resolveAndPing(vmVmac, 'eth0', F_VMAC, G)),
        count(F_MISS, resolveAndPing(vmMiss, 'eth0', F_MISS, G)),
        (async () => {
          for (let i = 0; i < ROUNDS / 2; i++) await announce(srvE, F_DUP);
          await count(F_DUP, resolveAndPing(srvE, 'eth0', F_DUP, G));
        })(),
      ]);
    });
    const shown = describeRun(result, wire);
    // stopped by SIGTERM as systemd stops it: summary printed, and the process exits by itself
    expect(result.exit, shown).toEqual({ alone: true, code: 0, signal: null });

    expect(result.summary.incidents, shown).toEqual([]);
    expect(result.events, shown).toEqual([]);

    // and not for lack of traffic: every failover worked (the router's answers came back) ...
    expect(Object.fromEntries(answered), shown).toEqual(Object.fromEntries(
      [F_ALIAS, BLOCK.member, SPLIT.member, F_VMAC, F_MISS, F_NAT, F_DUP].map((ip) => [ip, ROUNDS])));
    // ... and each asked for its gateway at least as often as the thresholds, from the MAC the inventory allows
    const asked = (ip: string, mac: string): number =>
      wire.filter((f) => f.arp?.op === 1 && f.arp.senderIp === ip && f.arp.targetIp === G && f.ethSrc === mac).length;
    for (const [ip, mac] of [[F_ALIAS, SRV_A.mac], [BLOCK.member, SRV_A.mac], [SPLIT.member, SRV_B.mac], [F_VMAC, VMAC],
      [F_MISS, VMAC_MISS], [F_DUP, SRV_E.mac], [SRV_B.ip, SRV_B.mac]]) {
      expect(asked(ip, mac), `who-has ${G} tell ${ip} from ${mac}\n${shown}`).toBeGreaterThanOrEqual(THRESHOLD);
    }
    expect(wire.filter((f) => f.arp?.senderIp === F_DUP && f.arp.op === 1 && f.arp.targetIp === F_DUP).length, shown).toBe(ROUNDS / 2);
    // the routed VM never shows on the VLAN
    expect(wire.filter((f) => f.arp?.senderIp === F_NAT || f.ethSrc === VM_NAT_MAC), shown).toEqual([]);
    // the span port saw the router's unicast replies too (the bridge floods every frame)
    expect(wire.some((f) => f.arp?.op === 2 && f.arp.senderIp === G && f.ethDst === SRV_A.mac), shown).toBe(true);
    // the capture counted what tcpdump saw on the same port
    expect(result.summary.arp.frames, shown).toBe(wire.length);
  });

  // A failover configured right (/32, no gateway) that talks to a neighbour server of the same VLAN
  // makes the kernel ask `who-has 203.0.113.31 tell 198.51.100.7` (arp_announce 0: the sender is the
  // packet's source) through the main IP's /24, and the neighbour answers: the host is right that X is
  // on-link. off_link_target counts such a question only when it goes unanswered.
  it('a /32 alias talking to a neighbour server on its VLAN raises nothing', async () => {
    await configureRight();
    const { result } = await captureAround('neighbour', async () => {
      // srv-d answers the ARP; its echo replies are lost (no route back to the failover in the lab): the ARP is the point
      await resolveAndPing(srvA, 'eth0', F_ALIAS, SRV_D.ip, { wait: NO_ANSWER_WAIT });
    });
    expect(result.summary.incidents.map((i) => `${i.case} ${i.ip}`)).toEqual([]);
  });
});

interface Expected {
  case: string;
  ip: string;
  customer: string;
  server: string;
  /** the MAC the evidence came from (not checked for the duplicate: either server's) */
  mac?: string;
  stale_server?: string;
  /** the signal(s) that open this case, `|`-separated */
  signal: string;
}

/**
 * The fields of an incident that its live run and the replay of the same frames must agree on: all of
 * them, except the opening (expectSameOpening), and resolved_at and last_seen while `i` or `other` still has the
 * incident open (the live heartbeat may have moved packet time past the last frame, where replay stops).
 */
function comparable(i: IncidentJson, other: IncidentJson): Partial<IncidentJson> {
  const { resolved_at, last_seen, id: _id, opened_at: _openedAt, ...always } = i;
  return resolved_at !== null && other.resolved_at !== null ? { ...always, resolved_at, last_seen } : always;
}

/**
 * The same opening live and replayed: the same time and id, or, when a request reached one socket (the capture's or
 * tcpdump's) just after a frame stamped a few µs later, a later time on that side (the request counted as seen then:
 * time never runs back), by no more than either side's largest step back, and the same id but for the opening's hash.
 */
function expectSameOpening(live: IncidentJson, again: IncidentJson, stepBackMicros: number): void {
  const what = `${live.case} ${live.ip}: opened ${live.opened_at} live, ${again.opened_at} replayed; step back ${stepBackMicros} µs`;
  if (live.opened_at === again.opened_at) {
    expect(again.id, what).toBe(live.id);
    return;
  }
  expect(Math.abs(parseIsoMicros(live.opened_at) - parseIsoMicros(again.opened_at)), what).toBeLessThanOrEqual(stepBackMicros);
  const unhashed = (i: IncidentJson): string => i.id.slice(0, i.id.lastIndexOf('-') + 1); // vmac-gateway-198.51.100.8-
  expect(unhashed(again), what).toBe(unhashed(live));
}

/** What a failed assertion shows: the incidents as reported, how the capture ended, and the ARP on the wire. */
function describeRun(r: CaptureResult, wire: readonly TcpdumpFrame[]): string {
  const inc = (i: IncidentJson): string => `  ${i.case} ${i.ip} mac ${i.mac} customer ${i.customer} server ${i.server} stale ${i.stale_server} ${JSON.stringify(i.counts)}`;
  return [
    `incidents (${r.summary.incidents.length}):`, ...r.summary.incidents.map(inc),
    `events: ${r.events.map((e) => `${e.event} ${e.incident.case} ${e.incident.ip}`).join(', ')}`,
    `capture exit: ${JSON.stringify(r.exit)}; stderr: ${r.stderr.trim()}`,
    `wire (${wire.length} ARP frames):`, ...wire.map((f) => `  ${f.text}`),
  ].join('\n');
}
