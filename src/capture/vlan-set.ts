import { UserError } from '../common/user-error.js';

/** Index of "untagged" in a VlanSet's table, after the 4096 VLAN ids. */
export const UNTAGGED = 4096;

/**
 * The outer VLANs one capture daemon watches (`capture --vlans 100-199,300,untagged`), as a table of 4097 flags:
 * a frame's test is one read. Several daemons with complementary sets share one span port's load.
 */
export class VlanSet {
  private constructor(readonly keep: Uint8Array, readonly text: string) {}

  static parse(text: string): VlanSet {
    const keep = new Uint8Array(UNTAGGED + 1);
    const parts = text.split(',').map((p) => p.trim());
    for (const p of parts) {
      if (p === 'untagged') {
        keep[UNTAGGED] = 1;
        continue;
      }
      const m = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(p);
      const lo = m === null ? NaN : Number(m[1]);
      const hi = m === null ? NaN : Number(m[2] ?? m[1]);
      if (!(lo >= 0 && hi <= 4095 && lo <= hi)) {
        throw new UserError(`--vlans ${JSON.stringify(text)}: ${JSON.stringify(p)} is not a VLAN id (0-4095), a range (100-199) or "untagged"`);
      }
      keep.fill(1, lo, hi + 1);
    }
    return new VlanSet(keep, parts.join(','));
  }

  has(vid: number): boolean {
    return this.keep[vid] === 1;
  }

  get untagged(): boolean {
    return this.keep[UNTAGGED] === 1;
  }

  /** For a name (a Redis key, a metrics tag): `vlans-100-199_300_untagged`. */
  get slug(): string {
    return `vlans-${this.text.replaceAll(',', '_')}`;
  }
}

/**
 * Why `filter` is likely not what its author meant, or null: `vlan A or vlan B` reads as a set of VLANs, but
 * libpcap tests each `vlan` after the tags the ones before it consumed, even across `or` (QinQ's
 * `vlan 100 and vlan 200`, outer then inner, is what it is for).
 */
export function vlanSetFilterProblem(filter: string): string | null {
  if (!/\bvlan\s+\d+[\s\S]*\bor\b[\s\S]*\bvlan\s+\d+/.test(filter)) return null;
  return `--filter ${JSON.stringify(filter)}: libpcap tests each "vlan" after the tags of the ones before it, even across "or", `
    + 'so "vlan A or vlan B" matches VLAN A only: for a set of VLANs use --vlans A,B (docs/replay-and-explain.md, "Capture")';
}
