import { ArpPacket } from '../decode/arp-packet.js';

/**
 * An incident's evidence frames, bounded: the first `cap` (one per sample line, in the same order, so they print as
 * the samples do) and the last `cap` seen since, in a ring. Copies are made only when a frame is kept: the first
 * ones once each, the ring's packets once and then refilled in place (no allocation per signal).
 */
export class EvidenceFrames {
  readonly first: ArpPacket[] = [];
  private readonly ring: ArpPacket[] = [];
  /** frames that went into the ring, in all */
  private ringTaken = 0;

  constructor(private readonly cap: number) {}

  /** A frame that is a sample line of the incident (kept while `first` has room). */
  sample(p: Readonly<ArpPacket>): void {
    if (this.first.length < this.cap) this.first.push(new ArpPacket().copyFrom(p));
  }

  /** A frame of evidence past the sample lines: into the ring of the latest. */
  later(p: Readonly<ArpPacket>): void {
    const slot = this.ringTaken % this.cap;
    if (slot === this.ring.length) this.ring.push(new ArpPacket().copyFrom(p));
    else this.ring[slot].copyFrom(p);
    this.ringTaken++;
  }

  /** The latest frames past the samples, oldest first. */
  last(): ArpPacket[] {
    const n = this.ring.length;
    if (this.ringTaken <= n) return [...this.ring];
    const start = this.ringTaken % n;
    return [...this.ring.slice(start), ...this.ring.slice(0, start)];
  }

  /** First, then last: what the evidence pcap holds. */
  all(): ArpPacket[] {
    return [...this.first, ...this.last()];
  }

  /** The samples of an incident folded into this one came first: theirs before ours, `cap` at most (as the sample lines are merged). */
  prepend(earlier: readonly ArpPacket[]): void {
    const merged = [...earlier, ...this.first].slice(0, this.cap);
    this.first.length = 0;
    this.first.push(...merged);
  }
}
