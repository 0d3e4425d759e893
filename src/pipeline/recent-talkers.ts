import { HeavyHitters } from './heavy-hitters.js';

/**
 * The senders of the most ARP frames lately (the NOC page's "who is loud now"), where the traffic summary's top
 * talkers count since the daemon started and keep a router or an old talker on top after days. Two sketches take
 * turns by windows of packet time: the current window's and the one before; a sender is ranked by its frames in
 * both, so the list covers one to two windows and never empties at a window's turn. Bounded, O(1) a frame.
 */
export class RecentTalkers {
  private current: HeavyHitters;
  private previous: HeavyHitters;
  /** packet time (µs) the current window started at and ends at; -1 before the first frame */
  private currentStart = -1;
  private currentEnd = -1;
  private previousStart = -1;

  constructor(capacity: number, readonly windowMicros: number) {
    if (!(windowMicros > 0)) throw new Error(`RecentTalkers: window ${windowMicros}`);
    this.current = new HeavyHitters(capacity);
    this.previous = new HeavyHitters(capacity);
  }

  hit(ip: number, tsMicros: number): void {
    if (tsMicros >= this.currentEnd) this.turn(tsMicros);
    this.current.hit(ip);
  }

  /** Packet time (µs) the counts start at: the window before the current one's start, or the first frame's; -1 before any. */
  get sinceMicros(): number {
    return this.previousStart >= 0 ? this.previousStart : this.currentStart;
  }

  /** The `n` senders of the most frames in the last one to two windows, most first, ties by IP (allocates: for a page's heartbeat). */
  top(n: number): { ip: number; frames: number }[] {
    const frames = new Map<number, number>();
    for (const s of [this.previous, this.current]) {
      for (const item of s.top(n * 2)) frames.set(s.ip(item), (frames.get(s.ip(item)) ?? 0) + s.counts[item]);
    }
    return [...frames].map(([ip, f]) => ({ ip, frames: f })).sort((a, b) => b.frames - a.frames || a.ip - b.ip).slice(0, n);
  }

  /** The window `ts` falls in becomes the current one; the one just ended the previous, or none after a silence. */
  private turn(ts: number): void {
    const start = Math.floor(ts / this.windowMicros) * this.windowMicros;
    const swap = this.previous;
    this.previous = this.current;
    this.current = swap;
    this.current.clear();
    if (this.currentEnd >= 0 && start === this.currentEnd) {
      this.previousStart = this.currentStart;
    } else {
      // a window or more without frames: what came before is older than the previous window
      this.previous.clear();
      this.previousStart = -1;
    }
    this.currentStart = this.currentStart < 0 ? ts : start;
    this.currentEnd = start + this.windowMicros;
  }
}
