import { vlanKey } from './vlan-key.js';
import { describe, expect, it } from 'vitest';
import { ArpPacket, MAX_VLAN_TAGS, NO_VLAN } from './arp-packet.js';
import { ArpPacketStore } from './arp-packet-store.js';

type Fields = Record<string, unknown>;
const fieldsOf = (p: ArpPacket): Fields => p as unknown as Fields;
/** ArpPacket's fields as the class declares them (own, enumerable: getters and methods are on the prototype). */
const FIELDS = Object.keys(new ArpPacket());

/** Every field set to a value of its own, small enough for any column (`seed` under 230 makes two fillings differ everywhere), tags included. */
function filled(seed: number): ArpPacket {
  const p = new ArpPacket();
  const f = fieldsOf(p);
  FIELDS.forEach((k, i) => {
    const v = f[k];
    if (typeof v === 'number') f[k] = seed + i;
    else if (typeof v === 'boolean') f[k] = seed % 2 === 1;
    else if (v instanceof Uint32Array) for (let d = 0; d < v.length; d++) v[d] = seed * 0x10000 + i * 0x100 + d;
    else throw new Error(`ArpPacket.${k}: a field of a type this test does not fill; teach the test and ArpPacketStore about it`);
  });
  return p;
}

/** The widest value each field can carry (pcap's 32-bit lengths and link type, 48-bit MACs, 16-bit SLL packet type...). */
function extremes(): ArpPacket {
  const p = new ArpPacket();
  const mac = 0xffffffffffff;
  const set: Omit<ArpPacket, 'tags' | 'vlan' | 'outerVlan' | 'innerVlan' | 'copyFrom'> = {
    tsMicros: Date.UTC(2199, 11, 31, 23, 59, 59) * 1000 + 999_999, wireLen: 0xffffffff, capLen: 0xfffffffe, linkType: 0xffffffff,
    ethSrc: mac, ethDst: mac - 1, sllPacketType: 0xffff, sllIfindex: 0xffffffff, vlanDepth: MAX_VLAN_TAGS,
    outerTpid: 0xffff, outerTci: 0xfffe, innerTpid: 0xfffd, innerTci: 0xfffc,
    op: 0xffff, senderMac: mac - 2, senderIp: 0xffffffff, targetMac: mac - 3, targetIp: 0xfffffffe, gratuitous: true, probe: true,
  };
  expect(Object.keys(set).sort(), 'every field of ArpPacket but tags has an extreme here').toEqual(FIELDS.filter((k) => k !== 'tags').sort());
  Object.assign(p, set);
  for (let d = 0; d < MAX_VLAN_TAGS; d++) p.tags[d] = 0xffffffff - d;
  return p;
}

function expectSame(got: ArpPacket, want: ArpPacket): void {
  for (const k of FIELDS) expect(fieldsOf(got)[k], k).toEqual(fieldsOf(want)[k]);
}

describe('ArpPacketStore', () => {
  it('knows the fields it is tested on: the packet has tags and flags', () => {
    expect(FIELDS).toContain('tags');
    expect(FIELDS).toContain('sllPacketType');
    expect(FIELDS).toContain('probe');
    expect(FIELDS.length).toBeGreaterThanOrEqual(20);
  });

  it('restores every field of ArpPacket, into a packet that held other values', () => {
    const store = new ArpPacketStore(4);
    const saved = filled(101);
    store.save(2, saved);
    expectSame(store.load(2, filled(200)), saved);
  });

  it('restores every field at its widest, and -1 as the Ethernet SLL packet type', () => {
    const store = new ArpPacketStore(3);
    const wide = extremes();
    store.save(0, wide);
    expectSame(store.load(0, new ArpPacket()), wide);
    const eth = extremes();
    eth.sllPacketType = -1;
    eth.gratuitous = false;
    store.save(1, eth);
    expectSame(store.load(1, new ArpPacket()), eth);
  });

  it('keeps slots apart: saving one changes no other', () => {
    const store = new ArpPacketStore(3);
    const a = filled(11);
    const b = filled(22);
    const c = filled(33);
    store.save(0, a);
    store.save(2, c);
    store.save(1, b);
    expectSame(store.load(0, new ArpPacket()), a);
    expectSame(store.load(1, new ArpPacket()), b);
    expectSame(store.load(2, new ArpPacket()), c);
    expect([store.senderIp(1), store.targetIp(1)]).toEqual([b.senderIp, b.targetIp]);
  });

  it('ArpPacket.copyFrom copies every field as well', () => {
    const src = filled(71);
    expectSame(filled(170).copyFrom(src), src);
    const wide = extremes();
    expectSame(new ArpPacket().copyFrom(wide), wide);
  });

  it('reads a saved packet\'s VLAN without loading it, as ArpPacket.vlan does', () => {
    const store = new ArpPacketStore(4);
    for (const [depth, want] of [[0, NO_VLAN], [1, 0x123], [2, vlanKey(2, 0x123, 0x456)], [3, vlanKey(2, 0x123, 0x456)]] as const) {
      const p = filled(7);
      p.vlanDepth = depth;
      p.outerTci = 0xf123;
      p.innerTci = 0xe456;
      store.save(depth, p);
      expect(p.vlan).toBe(want);
      expect(store.vlan(depth)).toBe(want);
    }
  });
});
