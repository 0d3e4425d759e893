/** One Server-Sent Event as the stream carries it: its number in this run, its type, its data (JSON, one line). */
export interface StreamEvent {
  readonly seq: number;
  readonly event: string;
  readonly data: string;
}

/**
 * The recent events, bounded: a page that reconnects gets what it missed from here. Sequence numbers start at 1
 * and only grow; the ring keeps the last `size`.
 */
export class EventRing {
  private readonly slots: (StreamEvent | undefined)[];
  private last = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`event ring: size ${size} is not a positive integer`);
    this.slots = new Array<StreamEvent | undefined>(size);
  }

  push(event: string, data: string): StreamEvent {
    const e: StreamEvent = { seq: ++this.last, event, data };
    this.slots[e.seq % this.size] = e;
    return e;
  }

  /** the sequence number of the latest event, 0 before the first */
  get lastSeq(): number {
    return this.last;
  }

  /** the oldest sequence number the ring still holds (lastSeq + 1 when empty) */
  get firstSeq(): number {
    return Math.max(1, this.last - this.size + 1);
  }

  /**
   * The events after `seq`, oldest first; null when some of them are gone (older than the ring) or when `seq` is
   * one this run never gave (ahead of it): either way the page cannot catch up from here.
   */
  after(seq: number): StreamEvent[] | null {
    if (!Number.isInteger(seq) || seq < this.firstSeq - 1 || seq > this.last) return null;
    const out: StreamEvent[] = [];
    for (let s = seq + 1; s <= this.last; s++) out.push(this.slots[s % this.size]!);
    return out;
  }

  /** Every event held of one type, oldest first (a fresh page's chart history). */
  ofType(event: string): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (let s = this.firstSeq; s <= this.last; s++) {
      const e = this.slots[s % this.size]!;
      if (e.event === event) out.push(e);
    }
    return out;
  }
}
