/**
 * decodeFrame on real bytes (built with the fixtures' frame builders): every
 * link layer, every tagging scheme, every outcome and malformed reason, with
 * all the fields of the packet it fills.
 */
import { describe, expect, it } from 'vitest';
import { innerVlanOf, outerVlanOf, vlanKey, vlanLabel } from './vlan-key.js';
import {
  BROADCAST,
  SLL_BROADCAST,
  SLL_HOST,
  SLL_MULTICAST,
  SLL_OTHERHOST,
  SLL_OUTGOING,
  TPID_8021AD,
  TPID_8021Q,
  TPID_9100,
  ZERO_MAC,
  arpPayload,
  arpReply,
  arpRequest,
  concat,
  ethernet,
  ethernetToSll,
  ethernetToSll2,
  gratuitous,
  linuxSll,
  linuxSll2,
  probe,
  udpFrame,
  vlanTag,
  type ArpFields,
} from '../../fixtures/lib/frames.js';
import { ArpPacket, NO_VLAN } from './arp-packet.js';
import { MAX_VLAN_TAGS, decodeFrame, reachedArp } from './decode-frame.js';
import { DECODE_RESULT_NAMES, DecodeResult, FIRST_ANOMALY, RESULT_COUNT } from './decode-result.js';

const ETH = 1;
const SLL = 113;
const SLL2 = 276;
const TS = Date.UTC(2026, 10, 2, 9, 0, 0) * 1000 + 123_456;

/** A MAC as the decoder's 48-bit number, computed here without src/. */
const macNum = (s: string): number => parseInt(s.replace(/:/g, ''), 16);
/** An IPv4 address as uint32, computed here without src/. */
const ipNum = (s: string): number => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);

const ME = { mac: '0c:c4:7a:11:22:33', ip: '203.0.113.10' };
const GW = { mac: '00:00:5e:00:01:01', ip: '203.0.113.254' };
const VM = { mac: '02:00:00:aa:bb:cc', ip: '198.51.100.8' };

interface Decoded {
  result: DecodeResult;
  name: string;
  p: ArpPacket;
}

function decode(frame: Uint8Array, linkType = ETH, o: { capLen?: number; wireLen?: number; into?: ArpPacket } = {}): Decoded {
  const p = o.into ?? new ArpPacket();
  const capLen = o.capLen ?? frame.length;
  const result = decodeFrame(frame, capLen, o.wireLen ?? Math.max(capLen, frame.length), linkType, TS, p);
  return { result, name: DECODE_RESULT_NAMES[result], p };
}

/** The fields of a decoded packet, as a plain object (getters included). */
function fields(p: ArpPacket): Record<string, unknown> {
  return {
    tsMicros: p.tsMicros, wireLen: p.wireLen, capLen: p.capLen, linkType: p.linkType,
    ethSrc: p.ethSrc, ethDst: p.ethDst, sllPacketType: p.sllPacketType, sllIfindex: p.sllIfindex,
    vlanDepth: p.vlanDepth, outerTpid: p.outerTpid, outerTci: p.outerTci, innerTpid: p.innerTpid, innerTci: p.innerTci,
    vlan: p.vlan, outerVlan: p.outerVlan, innerVlan: p.innerVlan,
    op: p.op, senderMac: p.senderMac, senderIp: p.senderIp, targetMac: p.targetMac, targetIp: p.targetIp,
    gratuitous: p.gratuitous, probe: p.probe,
  };
}

const UNTAGGED = { vlanDepth: 0, outerTpid: 0, outerTci: 0, innerTpid: 0, innerTci: 0, vlan: NO_VLAN, outerVlan: NO_VLAN, innerVlan: NO_VLAN };
const ETHERNET_LINK = { linkType: ETH, sllPacketType: -1, sllIfindex: 0 };

/** `who-has GW tell ME`, 42 bytes on the wire */
const request = (o: Partial<Parameters<typeof arpRequest>[0]> = {}): Uint8Array =>
  arpRequest({ sha: ME.mac, spa: ME.ip, tpa: GW.ip, ...o });
/** an ARP body with some header field changed */
const body = (o: Partial<ArpFields> = {}): Uint8Array =>
  arpPayload({ op: 1, sha: ME.mac, spa: ME.ip, tha: ZERO_MAC, tpa: GW.ip, ...o });
const ethArp = (payload: Uint8Array): Uint8Array => ethernet(BROADCAST, ME.mac, 0x0806, payload);

describe('result codes', () => {
  it('one stable name per code, anomalies from RUNT on', () => {
    expect(RESULT_COUNT).toBe(Object.keys(DecodeResult).length);
    for (const [key, code] of Object.entries(DecodeResult)) expect(DECODE_RESULT_NAMES[code]).toBe(key.toLowerCase());
    expect(FIRST_ANOMALY).toBe(DecodeResult.RUNT);
  });

  it('reachedArp: ARP and the malformed ARP bodies, nothing before the ARP ethertype', () => {
    const reached = Object.values(DecodeResult).filter((r) => reachedArp(r)).map((r) => DECODE_RESULT_NAMES[r]);
    expect(reached).toEqual(['arp', 'truncated_arp', 'unsupported_hardware', 'unsupported_protocol', 'bad_hlen', 'bad_plen', 'unknown_opcode']);
  });
});

describe('Ethernet, untagged', () => {
  it('a request, unpadded (42 bytes): every field', () => {
    const { name, p } = decode(request());
    expect(name).toBe('arp');
    expect(fields(p)).toEqual({
      tsMicros: TS, wireLen: 42, capLen: 42, ...ETHERNET_LINK,
      ethSrc: macNum(ME.mac), ethDst: macNum(BROADCAST), ...UNTAGGED,
      op: 1, senderMac: macNum(ME.mac), senderIp: ipNum(ME.ip), targetMac: 0, targetIp: ipNum(GW.ip),
      gratuitous: false, probe: false,
    });
    // the numbers themselves, spelled out once
    expect(p.senderIp).toBe(3405803786);
    expect(p.targetIp).toBe(3405804030);
    expect(p.ethSrc).toBe(0x0cc47a112233);
    expect(p.ethDst).toBe(0xffffffffffff);
  });

  it('a request padded to 60 bytes: the padding is not read, wireLen says 60', () => {
    const { name, p } = decode(request({ pad: true }));
    expect(name).toBe('arp');
    expect(p).toMatchObject({ wireLen: 60, capLen: 60, op: 1, senderIp: ipNum(ME.ip), targetIp: ipNum(GW.ip) });
  });

  it('a reply: sender and target MACs and IPs, unicast destination', () => {
    const { name, p } = decode(arpReply({ sha: GW.mac, spa: GW.ip, tha: ME.mac, tpa: ME.ip, pad: true }));
    expect(name).toBe('arp');
    expect(fields(p)).toEqual({
      tsMicros: TS, wireLen: 60, capLen: 60, ...ETHERNET_LINK,
      ethSrc: macNum(GW.mac), ethDst: macNum(ME.mac), ...UNTAGGED,
      op: 2, senderMac: macNum(GW.mac), senderIp: ipNum(GW.ip), targetMac: macNum(ME.mac), targetIp: ipNum(ME.ip),
      gratuitous: false, probe: false,
    });
  });

  it('a gratuitous request (RFC 5227 announcement)', () => {
    const { name, p } = decode(gratuitous({ sha: VM.mac, ip: VM.ip }));
    expect(name).toBe('arp');
    expect(p).toMatchObject({ op: 1, senderIp: ipNum(VM.ip), targetIp: ipNum(VM.ip), targetMac: 0, gratuitous: true, probe: false });
  });

  it('a gratuitous reply (arping -A): target MAC broadcast', () => {
    const { name, p } = decode(gratuitous({ sha: VM.mac, ip: VM.ip, reply: true }));
    expect(name).toBe('arp');
    expect(p).toMatchObject({ op: 2, senderMac: macNum(VM.mac), targetMac: macNum(BROADCAST), gratuitous: true, probe: false });
  });

  it('a probe from 0.0.0.0: probe, not gratuitous', () => {
    const { name, p } = decode(probe({ sha: VM.mac, tpa: VM.ip, pad: true }));
    expect(name).toBe('arp');
    expect(p).toMatchObject({ op: 1, senderIp: 0, targetIp: ipNum(VM.ip), probe: true, gratuitous: false });
  });

  it('a reply from 0.0.0.0 is neither a probe nor gratuitous', () => {
    const { p } = decode(arpReply({ sha: VM.mac, spa: '0.0.0.0', tha: GW.mac, tpa: '0.0.0.0' }));
    expect(p).toMatchObject({ op: 2, probe: false, gratuitous: false });
  });

  it('a request with a non-zero target MAC (Linux re-validating a cached entry, unicast)', () => {
    const { name, p } = decode(request({ tha: GW.mac, dst: GW.mac }));
    expect(name).toBe('arp');
    expect(p).toMatchObject({ op: 1, ethDst: macNum(GW.mac), targetMac: macNum(GW.mac), targetIp: ipNum(GW.ip) });
  });

  it('the top MAC byte is kept (MACs above 2^47 stay exact in a double)', () => {
    const { p } = decode(request({ sha: 'fe:dc:ba:98:76:54', src: 'fe:ff:ff:ff:ff:fe' }));
    expect(p.senderMac).toBe(0xfedcba987654);
    expect(p.ethSrc).toBe(0xfefffffffffe);
  });
});

describe('VLAN tags', () => {
  it('802.1Q with PCP 5 and DEI: TPID, TCI, VLAN id', () => {
    const { name, p } = decode(request({ tags: [vlanTag(TPID_8021Q, 300, 5, true)] }));
    expect(name).toBe('arp');
    expect(fields(p)).toMatchObject({
      wireLen: 46, vlanDepth: 1, outerTpid: 0x8100, outerTci: (5 << 13) | 0x1000 | 300, innerTpid: 0, innerTci: 0,
      vlan: 300, outerVlan: 300, innerVlan: NO_VLAN, op: 1, senderIp: ipNum(ME.ip), targetIp: ipNum(GW.ip),
    });
    expect(p.outerTci).toBe(0xb12c);
    expect(p.tags[0]).toBe(0x8100b12c);
  });

  it.each([
    [0, 0, false],
    [4095, 7, true],
    [1, 7, false],
    [4094, 0, true],
  ])('802.1Q vid %i pcp %i dei %s', (vid, pcp, dei) => {
    const { name, p } = decode(request({ tags: [vlanTag(TPID_8021Q, vid, pcp, dei)], pad: true }));
    expect(name).toBe('arp');
    expect(p).toMatchObject({ wireLen: 64, vlanDepth: 1, outerTci: (pcp << 13) | (dei ? 0x1000 : 0) | vid });
    expect(p.vlan).toBe(vid);
  });

  it('QinQ 802.1ad (0x88a8) S-tag + 802.1Q C-tag: the VLAN is the pair, the C-tag its customer side', () => {
    const { name, p } = decode(request({ tags: [vlanTag(TPID_8021AD, 1000, 1, true), vlanTag(TPID_8021Q, 100, 6)], pad: true }));
    expect(name).toBe('arp');
    expect(fields(p)).toMatchObject({
      wireLen: 68, vlanDepth: 2, outerTpid: 0x88a8, outerTci: (1 << 13) | 0x1000 | 1000, innerTpid: 0x8100, innerTci: (6 << 13) | 100,
      vlan: vlanKey(2, 1000, 100), outerVlan: 1000, innerVlan: 100, senderMac: macNum(ME.mac), targetIp: ipNum(GW.ip),
    });
    expect([vlanLabel(p.vlan), innerVlanOf(p.vlan), outerVlanOf(p.vlan)]).toEqual(['1000.100', 100, 1000]);
    expect([p.tags[0], p.tags[1]]).toEqual([0x88a83000 + 1000, 0x8100c064]);
  });

  it('QinQ pre-standard 0x9100 + 802.1Q', () => {
    const { name, p } = decode(request({ tags: [vlanTag(TPID_9100, 2001, 4), vlanTag(TPID_8021Q, 100, 0)] }));
    expect(name).toBe('arp');
    expect(p).toMatchObject({ vlanDepth: 2, outerTpid: 0x9100, outerTci: (4 << 13) | 2001, innerTpid: 0x8100, innerTci: 100 });
    expect([vlanLabel(p.vlan), p.outerVlan, p.innerVlan]).toEqual(['2001.100', 2001, 100]);
  });

  it('a lone 802.1ad S-tag is peeled like a C-tag', () => {
    const { name, p } = decode(request({ tags: [vlanTag(TPID_8021AD, 3000, 2)] }));
    expect(name).toBe('arp');
    expect(p).toMatchObject({ vlanDepth: 1, outerTpid: 0x88a8, outerTci: (2 << 13) | 3000, innerTpid: 0, innerTci: 0 });
    expect([p.vlan, p.outerVlan, p.innerVlan]).toEqual([3000, 3000, NO_VLAN]);
  });

  it('three tags: all kept in `tags`, outer and inner are the first two', () => {
    const tags = [vlanTag(TPID_8021AD, 10, 1), vlanTag(TPID_8021Q, 20, 2), vlanTag(TPID_8021Q, 30, 3, true)];
    const { name, p } = decode(request({ tags }));
    expect(name).toBe('arp');
    expect(p).toMatchObject({ vlanDepth: 3, outerTpid: 0x88a8, outerTci: (1 << 13) | 10, innerTpid: 0x8100, innerTci: (2 << 13) | 20 });
    expect(Array.from(p.tags.subarray(0, 3))).toEqual([0x88a8200a, 0x81004014, 0x8100701e]);
    expect(vlanLabel(p.vlan)).toBe('10.20');
    expect(p.senderIp).toBe(ipNum(ME.ip));
  });

  it(`${MAX_VLAN_TAGS} tags are peeled, one more is too_many_vlan_tags`, () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => vlanTag(TPID_8021Q, 100 + i));
    const eight = decode(request({ tags: tags(MAX_VLAN_TAGS) }));
    expect(eight.name).toBe('arp');
    expect(eight.p.vlanDepth).toBe(MAX_VLAN_TAGS);
    expect(eight.p.tags[MAX_VLAN_TAGS - 1] & 0xfff).toBe(100 + MAX_VLAN_TAGS - 1);
    const nine = decode(request({ tags: tags(MAX_VLAN_TAGS + 1) }));
    expect(nine.name).toBe('too_many_vlan_tags');
    expect(nine.p.vlanDepth).toBe(MAX_VLAN_TAGS);
  });

  it('0x9200 and 802.1Q-like types that are not tags: not ARP', () => {
    const { name, p } = decode(request({ tags: [vlanTag(0x9200, 100)] }));
    expect(name).toBe('not_arp');
    expect(p.vlanDepth).toBe(0);
  });
});

describe('Linux cooked captures', () => {
  const frame = request({ pad: true });

  it.each([
    [SLL_HOST, 'to us'],
    [SLL_BROADCAST, 'broadcast'],
    [SLL_MULTICAST, 'multicast'],
    [SLL_OTHERHOST, 'other host'],
    [SLL_OUTGOING, 'outgoing'],
  ])('SLL (113), packet type %i (%s): source MAC from the cooked header, no destination', (type) => {
    const { name, p } = decode(ethernetToSll(frame, type), SLL);
    expect(name).toBe('arp');
    expect(fields(p)).toEqual({
      tsMicros: TS, wireLen: 62, capLen: 62, linkType: SLL, sllPacketType: type, sllIfindex: 0,
      ethSrc: macNum(ME.mac), ethDst: 0, ...UNTAGGED,
      op: 1, senderMac: macNum(ME.mac), senderIp: ipNum(ME.ip), targetMac: 0, targetIp: ipNum(GW.ip),
      gratuitous: false, probe: false,
    });
  });

  it('SLL with a 16-bit packet type outside 0..4 keeps it', () => {
    const { name, p } = decode(linuxSll({ packetType: 0x1234, protocol: 0x0806, payload: body(), addr: ME.mac }), SLL);
    expect(name).toBe('arp');
    expect(p.sllPacketType).toBe(0x1234);
  });

  it('SLL without a 6-byte address: source 0', () => {
    const none = decode(linuxSll({ packetType: SLL_OUTGOING, protocol: 0x0806, payload: body() }), SLL);
    expect(none.name).toBe('arp');
    expect(none.p.ethSrc).toBe(0);
    const eight = decode(linuxSll({ packetType: SLL_HOST, protocol: 0x0806, payload: body(), addr: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }), SLL);
    expect(eight.p.ethSrc).toBe(0);
    // the address length is 16 bits: 0x0106 is not 6
    const f = linuxSll({ packetType: SLL_HOST, protocol: 0x0806, payload: body(), addr: ME.mac });
    f[4] = 1;
    const odd = decode(f, SLL);
    expect(odd.name).toBe('arp');
    expect(odd.p.ethSrc).toBe(0);
  });

  it('SLL keeps 802.1Q tags (libpcap reinserts them): peeled as on Ethernet', () => {
    const { name, p } = decode(ethernetToSll(request({ tags: [vlanTag(TPID_8021Q, 100, 3)] }), SLL_BROADCAST), SLL);
    expect(name).toBe('arp');
    expect(p).toMatchObject({ wireLen: 48, vlanDepth: 1, outerTpid: 0x8100, outerTci: (3 << 13) | 100, sllPacketType: SLL_BROADCAST });
    expect(p.vlan).toBe(100);
  });

  it.each([
    [SLL_HOST, 2],
    [SLL_BROADCAST, 2],
    [SLL_MULTICAST, 7],
    [SLL_OTHERHOST, 1],
    [SLL_OUTGOING, 0x80000001],
  ])('SLL2 (276), packet type %i, ifindex %i', (type, ifindex) => {
    const { name, p } = decode(ethernetToSll2(frame, type, ifindex), SLL2);
    expect(name).toBe('arp');
    expect(fields(p)).toEqual({
      tsMicros: TS, wireLen: 66, capLen: 66, linkType: SLL2, sllPacketType: type, sllIfindex: ifindex,
      ethSrc: macNum(ME.mac), ethDst: 0, ...UNTAGGED,
      op: 1, senderMac: macNum(ME.mac), senderIp: ipNum(ME.ip), targetMac: 0, targetIp: ipNum(GW.ip),
      gratuitous: false, probe: false,
    });
  });

  it('SLL2 without an address, and with a QinQ pair', () => {
    const none = decode(linuxSll2({ packetType: SLL_OUTGOING, protocol: 0x0806, payload: body(), ifindex: 3 }), SLL2);
    expect(none.name).toBe('arp');
    expect(none.p).toMatchObject({ ethSrc: 0, sllIfindex: 3, wireLen: 48 });
    const tagged = ethernetToSll2(request({ tags: [vlanTag(TPID_8021AD, 1000), vlanTag(TPID_8021Q, 100)] }), SLL_HOST, 2);
    const q = decode(tagged, SLL2);
    expect(q.name).toBe('arp');
    expect(q.p).toMatchObject({ vlanDepth: 2, outerTpid: 0x88a8, innerTpid: 0x8100, wireLen: 56 });
    expect(vlanLabel(q.p.vlan)).toBe('1000.100');
  });
});

describe('not ARP', () => {
  const udp = { dstMac: GW.mac, srcMac: ME.mac, src: ME.ip, dst: '198.51.100.53', srcPort: 50145, dstPort: 41000, payload: new Uint8Array(20) };

  it('IPv4/UDP, untagged and tagged', () => {
    const plain = decode(udpFrame(udp));
    expect(plain.name).toBe('not_arp');
    expect(plain.p).toMatchObject({ ethSrc: macNum(ME.mac), ethDst: macNum(GW.mac), vlanDepth: 0, wireLen: 62 });
    const tagged = decode(udpFrame({ ...udp, tags: [vlanTag(TPID_8021AD, 1000), vlanTag(TPID_8021Q, 100)] }));
    expect(tagged.name).toBe('not_arp');
    expect(tagged.p).toMatchObject({ vlanDepth: 2, outerTci: 1000, innerTci: 100 });
  });

  it('IPv4 in a cooked capture, an 802.3 length field, IPv6', () => {
    expect(decode(ethernetToSll(udpFrame(udp), SLL_OUTGOING), SLL).name).toBe('not_arp');
    expect(decode(ethernetToSll2(udpFrame(udp), SLL_OUTGOING, 2), SLL2).name).toBe('not_arp');
    expect(decode(ethernet(BROADCAST, ME.mac, 46, new Uint8Array(46))).name).toBe('not_arp');
    expect(decode(ethernet(BROADCAST, ME.mac, 0x86dd, new Uint8Array(40))).name).toBe('not_arp');
  });
});

describe('malformed', () => {
  it.each([
    [ETH, 14],
    [SLL, 16],
    [SLL2, 20],
  ])('runt: link type %i needs %i bytes', (linkType, header) => {
    const full = linkType === ETH ? request() : linkType === SLL ? ethernetToSll(request(), 0) : ethernetToSll2(request(), 0, 2);
    for (let n = 0; n < header; n++) {
      const { name, p } = decode(full.subarray(0, n), linkType, { wireLen: full.length });
      expect(name, `${n} bytes`).toBe('runt');
      expect(p).toMatchObject({ capLen: n, wireLen: full.length, linkType, vlanDepth: 0 });
    }
    // the header alone reaches the ARP ethertype
    expect(decode(full.subarray(0, header), linkType).name).toBe('truncated_arp');
  });

  it('truncated_vlan: a tag cut short, outer or inner', () => {
    const one = request({ tags: [vlanTag(TPID_8021Q, 100)] });
    for (const n of [15, 16, 17]) expect(decode(one.subarray(0, n)).name, `${n} bytes`).toBe('truncated_vlan');
    const two = request({ tags: [vlanTag(TPID_8021AD, 1000), vlanTag(TPID_8021Q, 100)] });
    const cut = decode(two.subarray(0, 20));
    expect(cut.name).toBe('truncated_vlan');
    expect(cut.p).toMatchObject({ vlanDepth: 1, outerTpid: 0x88a8, outerTci: 1000 });
    const sll = ethernetToSll(one, SLL_HOST);
    expect(decode(sll.subarray(0, 19), SLL).name).toBe('truncated_vlan');
  });

  it('too_many_vlan_tags: nine 0x8100 tags', () => {
    const tags = Array.from({ length: 9 }, () => vlanTag(TPID_8021Q, 100));
    expect(decode(request({ tags })).name).toBe('too_many_vlan_tags');
    // even when the ninth tag is cut: the count is checked first
    expect(decode(request({ tags }).subarray(0, 14 + 8 * 4 + 1)).name).toBe('too_many_vlan_tags');
  });

  it('truncated_arp: in the 8-byte header', () => {
    for (let n = 14; n < 22; n++) expect(decode(request().subarray(0, n)).name, `${n} bytes`).toBe('truncated_arp');
    const tagged = request({ tags: [vlanTag(TPID_8021Q, 100)] });
    expect(decode(tagged.subarray(0, 25)).name).toBe('truncated_arp');
  });

  it('truncated_arp: in the addresses', () => {
    for (let n = 22; n < 42; n++) expect(decode(request().subarray(0, n)).name, `${n} bytes`).toBe('truncated_arp');
    expect(decode(request().subarray(0, 42)).name).toBe('arp');
    const qinq = request({ tags: [vlanTag(TPID_9100, 2001), vlanTag(TPID_8021Q, 100)] });
    expect(decode(qinq.subarray(0, 49)).name).toBe('truncated_arp');
    expect(decode(qinq.subarray(0, 50)).name).toBe('arp');
    expect(decode(ethernetToSll2(request(), 0, 2).subarray(0, 47), SLL2).name).toBe('truncated_arp');
  });

  it('snaplen cut (capLen < wireLen): truncated_arp when the addresses are cut, wireLen kept', () => {
    const frame = request({ pad: true });
    const cut = decode(frame, ETH, { capLen: 34, wireLen: 60 });
    expect(cut.name).toBe('truncated_arp');
    expect(cut.p).toMatchObject({ capLen: 34, wireLen: 60, ethSrc: macNum(ME.mac) });
    // a snaplen that keeps the whole ARP body but not the padding is fine
    const kept = decode(frame, ETH, { capLen: 42, wireLen: 60 });
    expect(kept.name).toBe('arp');
    expect(kept.p).toMatchObject({ capLen: 42, wireLen: 60, targetIp: ipNum(GW.ip) });
  });

  it('unsupported_hardware: hardware type 6 (IEEE 802)', () => {
    expect(decode(ethArp(body({ htype: 6 }))).name).toBe('unsupported_hardware');
  });

  it('unsupported_protocol: protocol type IPv6', () => {
    expect(decode(ethArp(body({ ptype: 0x86dd }))).name).toBe('unsupported_protocol');
  });

  it('bad_hlen, bad_plen', () => {
    expect(decode(ethArp(body({ hlen: 8 }))).name).toBe('bad_hlen');
    expect(decode(ethArp(body({ hlen: 0 }))).name).toBe('bad_hlen');
    expect(decode(ethArp(body({ plen: 16 }))).name).toBe('bad_plen');
  });

  it('unknown_opcode: 0, 3 (RARP request), 9 (InARP reply), 0x0101', () => {
    for (const op of [0, 3, 9, 0x0101]) {
      const { name, p } = decode(ethArp(body({ op })), ETH, { into: decode(request()).p });
      expect(name, `op ${op}`).toBe('unknown_opcode');
      expect(p.vlanDepth).toBe(0);
    }
  });

  it('checks in order: the header fields before the address length', () => {
    // a bad hardware type in a header that is whole but whose addresses are cut
    expect(decode(ethArp(body({ htype: 6 })).subarray(0, 30)).name).toBe('unsupported_hardware');
    expect(decode(ethArp(body({ plen: 16 })).subarray(0, 30)).name).toBe('bad_plen');
    // the opcode is read only once the addresses are there
    expect(decode(ethArp(body({ op: 3 })).subarray(0, 30)).name).toBe('truncated_arp');
  });

  it('malformed bodies behind tags and in cooked captures', () => {
    const tagged = ethernet(BROADCAST, ME.mac, 0x0806, body({ op: 9 }), { tags: [vlanTag(TPID_8021Q, 100)] });
    const t = decode(tagged);
    expect(t.name).toBe('unknown_opcode');
    expect(t.p.vlan).toBe(100);
    expect(decode(linuxSll({ packetType: 1, protocol: 0x0806, payload: body({ ptype: 0x86dd }), addr: ME.mac }), SLL).name).toBe('unsupported_protocol');
    expect(decode(linuxSll2({ packetType: 1, protocol: 0x0806, payload: body({ hlen: 8 }), addr: ME.mac, ifindex: 2 }), SLL2).name).toBe('bad_hlen');
  });

  it.each([0, 101, 105, 127, 228, 0xffff])('unsupported_link_type: %i', (linkType) => {
    const { name, p } = decode(request(), linkType);
    expect(name).toBe('unsupported_link_type');
    expect(p).toMatchObject({ linkType, wireLen: 42, capLen: 42, vlanDepth: 0 });
  });

  it('a record longer than its wire length (corrupt) is read only up to the wire length', () => {
    const frame = request({ pad: true });
    const short = decode(frame, ETH, { capLen: 60, wireLen: 20 });
    expect(short.name).toBe('truncated_arp');
    expect(short.p).toMatchObject({ capLen: 20, wireLen: 20 });
    expect(decode(frame, ETH, { capLen: 60, wireLen: 10 }).name).toBe('runt');
    expect(decode(frame, ETH, { capLen: 60, wireLen: 42 }).name).toBe('arp');
  });
});

describe('the reused 64 KiB buffer', () => {
  /** The binding's buffer: a frame at its start, stale bytes of bigger frames after it. */
  function inBuffer(frame: Uint8Array, stale: Uint8Array): Uint8Array {
    const buf = new Uint8Array(65535);
    for (let i = 0; i < buf.length; i += stale.length) buf.set(stale.subarray(0, Math.min(stale.length, buf.length - i)), i);
    buf.set(frame, 0);
    return buf;
  }

  it('a frame shorter than the stale bytes after it decodes as itself', () => {
    const big = request({ tags: [vlanTag(TPID_8021AD, 1000), vlanTag(TPID_8021Q, 100)], tha: VM.mac });
    const frame = arpReply({ sha: GW.mac, spa: GW.ip, tha: ME.mac, tpa: ME.ip });
    const { name, p } = decode(inBuffer(frame, big), ETH, { capLen: frame.length, wireLen: frame.length });
    expect(name).toBe('arp');
    expect(fields(p)).toEqual(fields(decode(frame).p));
  });

  it('never reads past capLen, even when the bytes after it would complete the frame', () => {
    const full = request({ tags: [vlanTag(TPID_8021Q, 100)] });
    const buf = inBuffer(full, full);
    expect(decode(buf, ETH, { capLen: 13, wireLen: 46 }).name).toBe('runt');
    expect(decode(buf, ETH, { capLen: 17, wireLen: 46 }).name).toBe('truncated_vlan');
    expect(decode(buf, ETH, { capLen: 25, wireLen: 46 }).name).toBe('truncated_arp');
    expect(decode(buf, ETH, { capLen: 45, wireLen: 46 }).name).toBe('truncated_arp');
    expect(decode(buf, ETH, { capLen: 46, wireLen: 46 }).name).toBe('arp');
    const sll2 = ethernetToSll2(full, SLL_HOST, 2);
    const buf2 = inBuffer(sll2, sll2);
    expect(decode(buf2, SLL2, { capLen: 19, wireLen: sll2.length }).name).toBe('runt');
    expect(decode(buf2, SLL2, { capLen: sll2.length - 1, wireLen: sll2.length }).name).toBe('truncated_arp');
  });

  it('a tagged frame on stale tag bytes: only its own tags are peeled', () => {
    const stale = request({ tags: Array.from({ length: 9 }, () => vlanTag(TPID_8021Q, 7)) });
    // a tagged frame cut right after its tag, then the stale bytes of a 9-tag frame
    const frame = request({ tags: [vlanTag(TPID_8021Q, 100)] }).subarray(0, 18);
    const { name, p } = decode(inBuffer(frame, stale), ETH, { capLen: 18, wireLen: 18 });
    expect(name).toBe('truncated_arp');
    expect(p.vlanDepth).toBe(1);
  });
});

describe('the reused packet', () => {
  it('a frame resets what the previous one set (tags, link fields)', () => {
    const p = new ArpPacket();
    decode(ethernetToSll2(request({ tags: [vlanTag(TPID_8021AD, 1000), vlanTag(TPID_8021Q, 100)] }), SLL_OUTGOING, 9), SLL2, { into: p });
    expect(p).toMatchObject({ vlanDepth: 2, sllIfindex: 9, sllPacketType: SLL_OUTGOING });
    const { name } = decode(request(), ETH, { into: p });
    expect(name).toBe('arp');
    expect(fields(p)).toEqual(fields(decode(request()).p));
  });

  it('copyFrom copies every field, tags included', () => {
    const tags = [vlanTag(TPID_8021AD, 10), vlanTag(TPID_8021Q, 20), vlanTag(TPID_8021Q, 30)];
    const src = decode(ethernetToSll2(request({ tags }), SLL_HOST, 5), SLL2).p;
    const copy = new ArpPacket().copyFrom(src);
    expect(fields(copy)).toEqual(fields(src));
    expect(Array.from(copy.tags)).toEqual(Array.from(src.tags));
    expect(copy.tags).not.toBe(src.tags);
  });

  it('ARP in a buffer that starts at an offset (a subarray) decodes the same', () => {
    const frame = request({ tha: GW.mac });
    const host = concat(new Uint8Array(7), frame);
    expect(fields(decode(host.subarray(7)).p)).toEqual(fields(decode(frame).p));
  });
});

describe('packet time out of range', () => {
  const at = (ts: number): string => DECODE_RESULT_NAMES[decodeFrame(request(), 42, 42, ETH, ts, new ArpPacket())];

  it.each([
    ['NaN (a record without a valid time)', Number.NaN],
    ['before 1970', -1],
    ['past 2^53 µs', Number.MAX_SAFE_INTEGER + 2],
    ['past JS Date', 8.64e18 + 1],
    ['infinite', Number.POSITIVE_INFINITY],
  ])('%s: bad_timestamp, not ARP', (_, ts) => {
    expect(at(ts)).toBe('bad_timestamp');
  });

  it.each([
    ['the epoch', 0],
    ['2040 (pcap seconds past 2^31)', Date.UTC(2040, 0, 1) * 1000],
    ['2107 (pcapng only)', Date.UTC(2107, 0, 1) * 1000],
    ['2^53 µs exactly', Number.MAX_SAFE_INTEGER],
  ])('%s: decoded', (_, ts) => {
    expect(at(ts)).toBe('arp');
  });

  it('is an anomaly that never reached ARP', () => {
    expect(DecodeResult.BAD_TIMESTAMP).toBeGreaterThanOrEqual(FIRST_ANOMALY);
    expect(reachedArp(DecodeResult.BAD_TIMESTAMP)).toBe(false);
  });
});
