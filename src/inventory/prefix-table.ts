import { type Cidr, maskOf } from '../common/cidr.js';
import { IpMap } from '../common/ip-map.js';

/**
 * Longest-prefix match over IPv4 blocks: one Map per prefix length in use, so a
 * lookup is at most one Map.get per distinct length (≤ 33), whatever the number of blocks.
 */
export class PrefixTable<T> {
  private readonly byLength: (IpMap<T> | undefined)[] = new Array(33);
  /** lengths in use, longest first */
  private lengths: number[] = [];
  private masks: number[] = [];
  size = 0;

  add(block: Cidr, value: T): T | undefined {
    let m = this.byLength[block.prefix];
    if (m === undefined) {
      m = new IpMap<T>();
      this.byLength[block.prefix] = m;
      this.lengths = [...this.lengths, block.prefix].sort((a, b) => b - a);
      this.masks = this.lengths.map(maskOf);
    }
    const previous = m.get(block.network);
    m.set(block.network, value);
    if (previous === undefined) this.size++;
    return previous;
  }

  /** Every value, shortest prefix first (not for the per-frame path). */
  values(): T[] {
    return [...this.lengths].reverse().flatMap((l) => this.byLength[l]!.list());
  }

  /** The value of the longest block containing `ip`, or undefined. */
  lookup(ip: number): T | undefined {
    const lengths = this.lengths;
    for (let i = 0; i < lengths.length; i++) {
      // an int32 (IpMap takes either form): a small integer, not boxed if get is not inlined
      const v = this.byLength[lengths[i]]!.get(ip & this.masks[i]);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}
