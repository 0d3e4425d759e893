/**
 * LiveSource against tcpdump on a real link: two network namespaces joined by a
 * veth, kernel ARP (ping, arping, gratuitous ARP, replies from the peer) and
 * 802.1Q / QinQ tagged ARP, captured by both at once on the same interface.
 * Needs root (see netns.ts); about 8 s.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAGGED_ARP_FILTER } from '../../src/capture/bpf.js';
import { arpReply, arpRequest, TPID_8021AD, TPID_8021Q, udpFrame, vlanTag } from '../../fixtures/lib/frames.js';
import type { ChildArp, ChildFrame } from './capture-protocol.js';
import { captureChildError, LiveCaptureChild, readTcpdumpFile, startTcpdump, type TcpdumpFrame } from './captures.js';
import { vlanKey } from '../../src/decode/vlan-key.js';
import { assertNetnsUsable, kernelHasVlan, netnsAvailability, NetnsLab, removeStaleNamespaces, type Netns } from './netns.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);
/** Probed for real before the tests are named: a kernel without 8021q gets injected tagged frames. */
const vlanProbe: boolean | Error = availability.run && process.getuid?.() === 0
  ? await kernelHasVlan().catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))
  : false;
const KERNEL_VLAN = vlanProbe === true;
const TAGGED_HOW = KERNEL_VLAN
  ? 'tagged frames from 802.1Q and 802.1ad subinterfaces'
  : 'tagged frames injected: this kernel has no 8021q';

const CAP_IF = 'aw0';
const PEER_IF = 'aw1';
const CAP_IP = '198.51.100.1';
const PEER_IP = '198.51.100.2';
/** nobody answers for it: the peer's kernel asks and gives up */
const ABSENT_IP = '198.51.100.77';
const VLAN_ID = 100;
const QINQ_OUTER = 100;
const QINQ_INNER = 200;
const TAGGED_EACH = 5;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The part of a frame both tools must agree on: op, addresses (a reply's target IP is not in tcpdump's text), tags. */
function tupleOfLive(f: ChildFrame): string {
  const a = f.arp;
  if (a === null) return `not decoded as ARP: ${f.result}`;
  const tags = [a.vlanDepth > 0 ? `${hex4(a.outerTpid)}/${a.outerVlan}` : '', a.vlanDepth > 1 ? `${hex4(a.innerTpid)}/${a.innerVlan}` : '']
    .filter((t) => t !== '').join(' ');
  const what = a.op === 1 ? `request ${a.senderIp} -> ${a.targetIp}` : `reply ${a.senderIp} is-at ${a.senderMac}`;
  return `${what} [${tags}] depth ${a.vlanDepth}`;
}

function tupleOfTcpdump(f: TcpdumpFrame): string {
  const a = f.arp;
  if (a === null) return `not ARP to tcpdump: ${f.text}`;
  const tags = f.tags.slice(0, 2).map((t) => `${hex4(t.tpid)}/${t.vid}`).join(' ');
  const what = a.op === 1 ? `request ${a.senderIp} -> ${a.targetIp}` : `reply ${a.senderIp} is-at ${a.senderMac}`;
  return `${what} [${tags}] depth ${f.tags.length}`;
}

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

/** formatTcpdump's line without its `YYYY-MM-DD HH:MM:SS.uuuuuu ` prefix. */
const withoutTime = (line: string | null): string | null => line?.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} /, '') ?? null;

describe.skipIf(availability.skip)('LiveSource on a veth between network namespaces', () => {
  const lab = new NetnsLab();
  let cap: Netns;
  let peer: Netns;
  let capMac: string;
  let peerMac: string;
  let tmp = '';

  beforeAll(async () => {
    await assertNetnsUsable(['tcpdump', 'arping', 'ping', 'python3', 'sysctl']);
    if (vlanProbe instanceof Error) throw vlanProbe;
    await removeStaleNamespaces();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aw-e2e-'));
    cap = await lab.namespace('cap');
    peer = await lab.namespace('peer');
    await lab.veth({ ns: cap, name: CAP_IF, addr: `${CAP_IP}/24` }, { ns: peer, name: PEER_IF, addr: `${PEER_IP}/24` });
    const arpIfs: [Netns, string][] = [[cap, CAP_IF], [peer, PEER_IF]];
    capMac = await cap.mac(CAP_IF);
    peerMac = await peer.mac(PEER_IF);
    if (KERNEL_VLAN) {
      // the kernel tags: a VLAN 100 subinterface, and an 802.1ad S-VLAN 100 carrying C-VLAN 200
      for (const [ns, dev, host] of [[cap, CAP_IF, 1], [peer, PEER_IF, 2]] as const) {
        await ns.addVlan(dev, `${dev}.${VLAN_ID}`, VLAN_ID);
        await ns.addAddress(`${dev}.${VLAN_ID}`, `192.0.2.${host}/24`);
        await ns.addVlan(dev, `${dev}.s${QINQ_OUTER}`, QINQ_OUTER, '802.1ad');
        await ns.up(`${dev}.s${QINQ_OUTER}`);
        await ns.addVlan(`${dev}.s${QINQ_OUTER}`, `${dev}.s${QINQ_OUTER}.${QINQ_INNER}`, QINQ_INNER);
        await ns.addAddress(`${dev}.s${QINQ_OUTER}.${QINQ_INNER}`, `100.64.0.${host}/24`);
        arpIfs.push([ns, `${dev}.${VLAN_ID}`], [ns, `${dev}.s${QINQ_OUTER}.${QINQ_INNER}`]);
      }
    }
    for (const [ns, dev] of arpIfs) {
      // no unicast re-probe of a stale neighbour 5 s later, racing the end of a capture
      await ns.neighParam(dev, 'delay_first_probe_time', 60);
      // an unanswered address is given up after 3 × 100 ms, not 3 s
      await ns.neighParam(dev, 'retrans_time_ms', 100);
    }
  });

  afterAll(async () => {
    await lab.cleanup();
    if (tmp !== '') await rm(tmp, { recursive: true, force: true });
  });

  /** Tagged ARP the kernel produced, or the hand-built frames injected in its place. */
  async function sendTagged(): Promise<{ single: string[]; qinq: string[] }> {
    if (KERNEL_VLAN) {
      await peer.exec(['ping', '-c', '1', '-W', '1', '192.0.2.1']);
      await peer.exec(['arping', '-q', '-c', String(TAGGED_EACH), '-W', '0.05', '-i', `${PEER_IF}.${VLAN_ID}`, '192.0.2.1']);
      await peer.exec(['ping', '-c', '1', '-W', '1', '100.64.0.1']);
      await peer.exec(['arping', '-q', '-c', String(TAGGED_EACH), '-W', '0.05', '-i', `${PEER_IF}.s${QINQ_OUTER}.${QINQ_INNER}`, '100.64.0.1']);
      return { single: [], qinq: [] };
    }
    const single = [vlanTag(TPID_8021Q, VLAN_ID)];
    const qinq = [vlanTag(TPID_8021AD, QINQ_OUTER), vlanTag(TPID_8021Q, QINQ_INNER)];
    const frames: Uint8Array[] = [];
    const expected = { single: [] as string[], qinq: [] as string[] };
    for (const [tags, base, list] of [[single, 10, expected.single], [qinq, 20, expected.qinq]] as const) {
      for (let i = 0; i < TAGGED_EACH - 1; i++) {
        const spa = `203.0.113.${base + i}`;
        frames.push(arpRequest({ sha: `02:00:00:00:${base}:0${i}`, spa, tpa: '203.0.113.1', tags, pad: true }));
        list.push(`request ${spa} -> 203.0.113.1`);
      }
      frames.push(arpReply({ sha: `02:00:00:00:${base}:fe`, spa: '203.0.113.1', tha: `02:00:00:00:${base}:00`, tpa: `203.0.113.${base}`, tags, pad: true }));
      list.push(`reply 203.0.113.1 is-at 02:00:00:00:${base}:fe`);
    }
    // tagged, but not ARP: the filter must drop it
    frames.push(udpFrame({ srcMac: '02:00:00:00:10:00', dstMac: 'ff:ff:ff:ff:ff:ff', src: '203.0.113.10', dst: '203.0.113.255',
      srcPort: 40000, dstPort: 9, tags: single, pad: true }));
    await peer.sendRawFrames(PEER_IF, frames);
    return expected;
  }

  it(`sees exactly the ARP frames tcpdump sees, untagged from the kernel and ${TAGGED_HOW}`, async () => {
    const file = path.join(tmp, 'reference.pcap');
    const [tcpdump, live] = await Promise.all([
      startTcpdump(cap, CAP_IF, file, TAGGED_ARP_FILTER),
      LiveCaptureChild.start(cap, CAP_IF),
    ]);
    expect(live.linkType).toBe(1);
    expect(live.filter).toBe(TAGGED_ARP_FILTER);

    // kernel ARP: the peer resolves us (and we answer), ICMP that the filter must drop
    const ping = await peer.exec(['ping', '-c', '2', '-i', '0.2', '-W', '1', CAP_IP]);
    expect(ping.stdout).toMatch(/2 received/);
    // arping's requests, answered by our kernel
    await peer.exec(['arping', '-q', '-c', '2', '-W', '0.05', '-i', PEER_IF, CAP_IP]);
    // gratuitous ARP, request and reply forms
    await peer.exec(['arping', '-q', '-U', '-c', '1', '-W', '0.05', '-i', PEER_IF, PEER_IP], { allowFailure: true });
    await peer.exec(['arping', '-q', '-U', '-P', '-c', '1', '-W', '0.05', '-i', PEER_IF, PEER_IP], { allowFailure: true });
    // we ask, the peer's kernel answers
    await cap.exec(['arping', '-q', '-c', '1', '-W', '0.05', '-i', CAP_IF, PEER_IP]);
    // unresolved: the peer's kernel asks three times and gives up
    await peer.exec(['ping', '-c', '1', '-W', '1', ABSENT_IP], { allowFailure: true });
    const injected = await sendTagged();

    await sleep(300); // let both rings drain
    const [ref, result] = await Promise.all([tcpdump.stop(), live.stop()]);
    const frames = await readTcpdumpFile(file);
    const got = result.done.frames;

    // the same frames, in the same order, byte for byte
    expect(ref.exitCode).toBe(0);
    expect(ref.captured).toBe(frames.length);
    expect(got.length).toBe(frames.length);
    expect(got.map((f) => f.hex)).toEqual(frames.map((f) => f.bytes.toString('hex')));
    expect(got.map((f) => f.wireLen)).toEqual(frames.map((f) => f.wireLen));
    got.forEach((f, i) => expect(Math.abs(f.tsMicros - frames[i].tsMicros)).toBeLessThan(50_000));
    // and decoded as tcpdump dissects them
    expect(got.map(tupleOfLive)).toEqual(frames.map(tupleOfTcpdump));
    got.forEach((f, i) => expect(f.arp?.ethSrc).toBe(frames[i].ethSrc));
    // and our evidence lines read exactly as tcpdump's (timestamps aside: two sockets, two clocks reads)
    expect(got.map((f) => withoutTime(f.line))).toEqual(frames.map((f) => f.text));

    // everything delivered is ARP: ping's ICMP (and the tagged UDP) never reached us
    expect(got.every((f) => f.result === 'arp')).toBe(true);
    expect(frames.every((f) => f.ethertype === 0x0806)).toBe(true);

    const arps = got.map((f) => f.arp).filter((a): a is ChildArp => a !== null);
    const untagged = arps.filter((a) => a.vlanDepth === 0);
    const has = (pred: (a: ChildArp) => boolean): boolean => untagged.some(pred);
    expect(has((a) => a.op === 1 && a.senderIp === PEER_IP && a.targetIp === CAP_IP && a.ethSrc === peerMac)).toBe(true);
    expect(has((a) => a.op === 2 && a.senderIp === CAP_IP && a.senderMac === capMac && a.targetIp === PEER_IP)).toBe(true);
    expect(has((a) => a.op === 1 && a.senderIp === CAP_IP && a.targetIp === PEER_IP)).toBe(true);
    expect(has((a) => a.op === 2 && a.senderIp === PEER_IP && a.senderMac === peerMac && a.targetIp === CAP_IP)).toBe(true);
    expect(has((a) => a.senderIp === PEER_IP && a.targetIp === PEER_IP)).toBe(true); // gratuitous
    expect(untagged.filter((a) => a.op === 1 && a.targetIp === ABSENT_IP).length).toBeGreaterThanOrEqual(1);

    // tagged ARP, with the right tags
    const single = arps.filter((a) => a.vlanDepth === 1);
    const qinq = arps.filter((a) => a.vlanDepth === 2);
    expect(single.length).toBeGreaterThanOrEqual(TAGGED_EACH);
    expect(qinq.length).toBeGreaterThanOrEqual(TAGGED_EACH);
    for (const a of single) {
      expect([a.outerTpid, a.outerVlan, a.vlan]).toEqual([TPID_8021Q, VLAN_ID, VLAN_ID]);
    }
    for (const a of qinq) {
      expect([a.outerTpid, a.outerVlan, a.innerTpid, a.innerVlan, a.vlan]).toEqual([TPID_8021AD, QINQ_OUTER, TPID_8021Q, QINQ_INNER, vlanKey(2, QINQ_OUTER, QINQ_INNER)]);
    }
    if (!KERNEL_VLAN) {
      const what = (a: ChildArp): string => (a.op === 1 ? `request ${a.senderIp} -> ${a.targetIp}` : `reply ${a.senderIp} is-at ${a.senderMac}`);
      expect(single.map(what)).toEqual(injected.single);
      expect(qinq.map(what)).toEqual(injected.qinq);
    }

    // the kernel's counters were read before the handle closed
    const { stats } = result.done;
    expect(stats.frames).toBe(got.length);
    expect(stats.kernel).toBeDefined();
    expect(stats.kernel?.received).toBeGreaterThanOrEqual(got.length);
    expect(typeof stats.kernel?.dropped).toBe('number');
    expect(typeof stats.kernel?.ifDropped).toBe('number');
  });

  it('captures on the `any` device: Linux cooked link type, plain `arp` filter, kernel ARP decoded', async () => {
    const live = await LiveCaptureChild.start(cap, 'any');
    expect([113, 276]).toContain(live.linkType);
    expect(live.filter).toBe('arp');
    const file = path.join(tmp, 'any.pcap');
    // tcpdump picks SLL2 on `any` by itself: ask for what the binding got
    const tcpdump = await startTcpdump(cap, 'any', file, 'arp', live.linkType === 113 ? 'LINUX_SLL' : 'LINUX_SLL2');

    // a fresh resolution: the peer's kernel asks, ours answers
    await peer.ip('neigh', 'flush', 'dev', PEER_IF);
    await peer.exec(['ping', '-c', '1', '-W', '1', CAP_IP]);
    // The kernel takes the outer tag off into the packet's metadata and libpcap puts it back
    // into the cooked header it builds: plain `arp` then matches single-tagged ARP (delivered
    // with its tag), but not QinQ ARP, whose inner tag is still in the data.
    await peer.sendRawFrames(PEER_IF, [
      arpRequest({ sha: '02:00:00:00:30:01', spa: '203.0.113.31', tpa: '203.0.113.1', tags: [vlanTag(TPID_8021Q, VLAN_ID)], pad: true }),
      arpRequest({ sha: '02:00:00:00:30:02', spa: '203.0.113.32', tpa: '203.0.113.1',
        tags: [vlanTag(TPID_8021AD, QINQ_OUTER), vlanTag(TPID_8021Q, QINQ_INNER)], pad: true }),
    ]);
    await sleep(300);
    const [ref, { done }] = await Promise.all([tcpdump.stop(), live.stop()]);
    expect(done.linkType).toBe(live.linkType);
    expect(done.frames.every((f) => f.result === 'arp')).toBe(true);
    const arps = done.frames.map((f) => f.arp).filter((a): a is ChildArp => a !== null);
    const request = arps.find((a) => a.op === 1 && a.senderIp === PEER_IP && a.targetIp === CAP_IP);
    const reply = arps.find((a) => a.op === 2 && a.senderIp === CAP_IP && a.targetIp === PEER_IP);
    // SLL keeps the link-layer source and the direction: a broadcast in, our answer out
    expect(request).toMatchObject({ ethSrc: peerMac, senderMac: peerMac, sllPacketType: 1, vlanDepth: 0 });
    expect(reply).toMatchObject({ ethSrc: capMac, senderMac: capMac, targetMac: peerMac, sllPacketType: 4, vlanDepth: 0 });
    expect(done.stats.kernel?.received).toBeGreaterThanOrEqual(done.frames.length);

    if (live.linkType === 113) {
      // the same frames as tcpdump, decoded as it dissects them
      const frames = await readTcpdumpFile(file);
      expect(ref.captured).toBe(frames.length);
      expect(done.frames.map((f) => f.hex)).toEqual(frames.map((f) => f.bytes.toString('hex')));
      expect(done.frames.map(tupleOfLive)).toEqual(frames.map(tupleOfTcpdump));
      expect(arps.filter((a) => a.vlanDepth > 0).map((a) => [a.senderIp, a.outerTpid, a.vlan])).toEqual([['203.0.113.31', TPID_8021Q, VLAN_ID]]);
      // untagged lines only: inside a cooked frame tcpdump writes `ethertype ARP` without `(0x0806)` after a tag
      const untagged = done.frames.map((f, i) => [f, frames[i]] as const).filter(([f]) => f.arp?.vlanDepth === 0);
      expect(untagged.map(([f]) => withoutTime(f.line))).toEqual(untagged.map(([, t]) => t.text));
    }
  });

  it('a missing interface is a CaptureError of one line naming it', async () => {
    const err = await captureChildError(cap, 'nosuch0');
    expect(err.name).toBe('CaptureError');
    expect(err.isCaptureError).toBe(true);
    expect(err.message).toBe('interface nosuch0: no such interface');
    expect(err.message).not.toMatch(/\n/);
    expect(err.exitCode).toBe(2);
  });

  // The `pcap` package could not close a live handle on libpcap 1.10 (its close waits for a
  // dispatch returning -2, which a non-blocking TPACKET_V3 read never does): the process
  // never exited. Our addon's close is pcap_close.
  it('after stop() the capture leaves nothing open: the process exits by itself', async () => {
    const live = await LiveCaptureChild.start(cap, CAP_IF);
    const { exitCode } = await live.stop();
    expect(exitCode).toBe(0);
  });
});
