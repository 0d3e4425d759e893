import { describe, expect, it } from 'vitest';
import { innerVlanOf, MAX_VLAN_KEY, NO_VLAN, outerVlanOf, parseVlanLabel, vlanJson, vlanKey, vlanKeyOfJson, vlanLabel, vlanName } from './vlan-key.js';
import { MAX_QINQ_PAIRS, VLAN_ROWS, VlanRows } from './vlan-rows.js';

describe('VLAN keys', () => {
  it('keep the outer tag of QinQ: 1000.100 and 2001.100 are two VLANs, and neither is the single-tagged 100', () => {
    const a = vlanKey(2, 1000, 100);
    const b = vlanKey(2, 2001, 100);
    expect(new Set([a, b, vlanKey(1, 100, 0)]).size).toBe(3);
    expect([vlanLabel(a), vlanLabel(b), vlanLabel(100)]).toEqual(['1000.100', '2001.100', '100']);
    expect([innerVlanOf(a), outerVlanOf(a), innerVlanOf(100), outerVlanOf(100)]).toEqual([100, 1000, 100, NO_VLAN]);
  });

  it('read only the id of each TCI (priority and DEI bits do not make another VLAN), and the first two tags', () => {
    expect(vlanKey(2, (7 << 13) | 0x1000 | 1000, (3 << 13) | 100)).toBe(vlanKey(2, 1000, 100));
    expect(vlanKey(3, 10, 20)).toBe(vlanKey(2, 10, 20));
    expect(vlanKey(1, 0xffff, 0xffff)).toBe(4095);
    expect(vlanKey(0, 1, 2)).toBe(NO_VLAN);
  });

  it('fit an int32 and round-trip through their label and their JSON', () => {
    expect(vlanKey(2, 4095, 4095)).toBe(MAX_VLAN_KEY);
    expect(MAX_VLAN_KEY).toBeLessThan(2 ** 31);
    for (const key of [NO_VLAN, 0, 100, 4095, vlanKey(2, 0, 0), vlanKey(2, 1000, 100), MAX_VLAN_KEY]) {
      expect(parseVlanLabel(vlanLabel(key))).toBe(key);
      const j = vlanJson(key);
      expect(vlanKeyOfJson(j.vlan, j.outer_vlan)).toBe(key);
    }
  });

  it('show QinQ as outer.inner, and give JSON an outer_vlan only on QinQ', () => {
    expect([vlanName(NO_VLAN), vlanName(7), vlanName(vlanKey(2, 1000, 100))]).toEqual(['untagged', 'vlan 7', 'vlan 1000.100']);
    expect(vlanJson(NO_VLAN)).toEqual({ vlan: null });
    expect(vlanJson(100)).toEqual({ vlan: 100 });
    expect(vlanJson(vlanKey(2, 1000, 100))).toEqual({ vlan: 100, outer_vlan: 1000 });
  });

  it('refuse labels that are not a VLAN', () => {
    for (const bad of ['', 'vlan 100', '4096', '1.4096', '1.2.3', '-1', 'untagged']) expect(parseVlanLabel(bad)).toBeNull();
  });
});

describe('VlanRows', () => {
  it('give single tags fixed rows and QinQ pairs rows of their own, in order of first frame', () => {
    const r = new VlanRows();
    expect([r.row(NO_VLAN), r.row(0), r.row(4095)]).toEqual([0, 1, 4096]);
    const a = vlanKey(2, 2001, 100);
    const b = vlanKey(2, 1000, 100);
    expect([r.row(a), r.row(b), r.row(a)]).toEqual([4097, 4098, 4097]);
    expect([r.keyOf(0), r.keyOf(101), r.keyOf(4097), r.keyOf(4098)]).toEqual([NO_VLAN, 100, a, b]);
    expect(r.folded).toBe(0);
  });

  it('past MAX_QINQ_PAIRS pairs, count a new pair under its inner VLAN and say how many frames were', () => {
    const r = new VlanRows();
    for (let i = 0; i < MAX_QINQ_PAIRS; i++) expect(r.row(vlanKey(2, i >> 4, i & 15))).toBe(4097 + i);
    const late = vlanKey(2, 4000, 42);
    expect(r.row(late)).toBe(43);
    expect(r.row(late)).toBe(43);
    expect(r.folded).toBe(2);
    expect(r.row(vlanKey(2, 0, 0))).toBe(4097);
    expect(4097 + MAX_QINQ_PAIRS).toBe(VLAN_ROWS);
  });
});
