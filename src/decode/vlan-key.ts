/**
 * A frame's VLAN as one int32, so that detection and the counters key on a number: NO_VLAN untagged, the id (0-4095)
 * of a single tag, and for QinQ QINQ_BASE + outer × 4096 + inner. The outer tag is part of the key because the same
 * inner id under two outer tags (1000.100 and 2001.100) is two networks.
 */

/** Untagged. */
export const NO_VLAN = -1;
/** The first QinQ key (outer 0, inner 0); keys below it are single tags. */
export const QINQ_BASE = 4096;
/** The largest key (outer 4095, inner 4095). */
export const MAX_VLAN_KEY = QINQ_BASE + 4095 * 4096 + 4095;

/** The key of a frame with `depth` tags whose first two TCIs are these (a third tag and deeper do not change it). */
export function vlanKey(depth: number, outerTci: number, innerTci: number): number {
  if (depth === 0) return NO_VLAN;
  if (depth === 1) return outerTci & 0xfff;
  return QINQ_BASE + (outerTci & 0xfff) * 4096 + (innerTci & 0xfff);
}

/** The customer-side VLAN id: a single tag's, or QinQ's inner one; NO_VLAN untagged. */
export function innerVlanOf(key: number): number {
  return key < QINQ_BASE ? key : (key - QINQ_BASE) & 0xfff;
}

/** QinQ's outer (service) VLAN id; NO_VLAN for a single tag or none. */
export function outerVlanOf(key: number): number {
  return key < QINQ_BASE ? NO_VLAN : ((key - QINQ_BASE) >>> 12);
}

/** A key as a tag or label value: "none", "100", "1000.100" (outer.inner, as Linux names a QinQ subinterface). */
export function vlanLabel(key: number): string {
  if (key < 0) return 'none';
  return key < QINQ_BASE ? String(key) : `${outerVlanOf(key)}.${innerVlanOf(key)}`;
}

/** A key for a line of text: "untagged", "vlan 100", "vlan 1000.100". */
export function vlanName(key: number): string {
  return key < 0 ? 'untagged' : `vlan ${vlanLabel(key)}`;
}

/** vlanLabel's inverse ("none", "100", "1000.100"), or null for anything else. */
export function parseVlanLabel(label: string): number | null {
  if (label === 'none') return NO_VLAN;
  const m = /^(\d{1,4})(?:\.(\d{1,4}))?$/.exec(label);
  if (m === null) return null;
  const a = Number(m[1]);
  if (m[2] === undefined) return a <= 4095 ? a : null;
  const b = Number(m[2]);
  return a <= 4095 && b <= 4095 ? QINQ_BASE + a * 4096 + b : null;
}

/** A key as the JSON documents show it: the customer-side id (null untagged), and QinQ's outer id only on QinQ. */
export function vlanJson(key: number): { vlan: number | null; outer_vlan?: number } {
  const outer = outerVlanOf(key);
  return outer < 0 ? { vlan: key < 0 ? null : key } : { vlan: innerVlanOf(key), outer_vlan: outer };
}

/** vlanJson's inverse (a document written before outer_vlan existed has none: a single tag). */
export function vlanKeyOfJson(vlan: number | null, outer: number | null | undefined): number {
  if (vlan === null) return NO_VLAN;
  return outer === null || outer === undefined ? vlan : QINQ_BASE + outer * 4096 + vlan;
}
