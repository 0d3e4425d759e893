import { innerVlanOf, QINQ_BASE } from './vlan-key.js';

/** QinQ pairs given a row of their own; past them a pair counts under its inner VLAN (garbage tags cannot grow memory). */
export const MAX_QINQ_PAIRS = 4096;
/** Rows of a table by VLAN: untagged, the 4,096 single-tag ids, then the QinQ pairs in order of first frame. */
export const VLAN_ROWS = 4097 + MAX_QINQ_PAIRS;

/**
 * Rows of per-VLAN counters for VLAN keys (vlan-key.ts): a single tag's row is its id + 1 (0 untagged), a QinQ pair's
 * is given at its first frame. Fixed size, so that views on the counters stay valid; a frame's lookup allocates nothing.
 */
export class VlanRows {
  private readonly qinq = new Map<number, number>();
  private readonly qinqKeys = new Int32Array(MAX_QINQ_PAIRS);
  /** QinQ frames counted under their inner VLAN because every pair's row was taken */
  folded = 0;

  row(key: number): number {
    return key < QINQ_BASE ? key + 1 : this.qinqRow(key);
  }

  /** a QinQ pair's row: looked up, or given at its first frame (the single-tag path above reads no Map) */
  private qinqRow(key: number): number {
    const r = this.qinq.get(key);
    if (r !== undefined) return r;
    const n = this.qinq.size;
    if (n === MAX_QINQ_PAIRS) {
      this.folded++;
      return innerVlanOf(key) + 1;
    }
    this.qinq.set(key, 4097 + n);
    this.qinqKeys[n] = key;
    return 4097 + n;
  }

  keyOf(row: number): number {
    return row < 4097 ? row - 1 : this.qinqKeys[row - 4097];
  }
}
