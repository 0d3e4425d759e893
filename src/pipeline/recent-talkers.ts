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
  /** each sketch's last sender MAC per item (a sender new to the since-start sketch is not held there) */
  private currentMac: Float64Array;
  private previousMac: Float64Array;
  /** packet time (µs) the current window started at and ends at; -1 before the first frame */
  private currentStart = -1;
  private currentEnd = -1;
  private previousStart = -1;

  constructor(capacity: number, readonly windowMicros: number) {
    if (!(windowMicros > 0)) throw new Error(`RecentTalkers: window ${windowMicros}`);
    this.current = new HeavyHitters(capacity);
    this.previous = new HeavyHitters(capacity);
    this.currentMac = new Float64Array(capacity);
    this.previousMac = new Float64Array(capacity);
  }

  hit(ip: number, mac: number, tsMicros: number): void {
    // past the window, or back by more than one (a frame stamped far ahead made the windows run ahead): start again
    if (tsMicros >= this.currentEnd || tsMicros < this.currentStart - this.windowMicros) this.turn(tsMicros);
    const item = this.current.hit(ip);
    if (item >= 0) this.currentMac[item] = mac;
  }

  /** Packet time (µs) the counts start at: the window before the current one's start, or the first frame's; -1 before any. */
  get sinceMicros(): number {
    return this.previousStart >= 0 ? this.previousStart : this.currentStart;
  }

  /**
   * The `n` senders of the most frames in the last one to two windows, most first, ties by IP, with their last MAC
   * (allocates: for a page's heartbeat). `frames` are those since each sketch took the sender (count - error, as the
   * since-start top talkers give them): exact for a sender held from its first frame of the window.
   */
  top(n: number): { ip: number; mac: number; frames: number }[] {
    const out = new Map<number, { ip: number; mac: number; frames: number }>();
    const add = (s: HeavyHitters, macs: Float64Array): void => {
      for (const item of s.top(n * 2)) {
        const ip = s.ip(item);
        const e = out.get(ip);
        const frames = s.counts[item] - s.errors[item];
        // the current window's MAC is the later one
        if (e === undefined) out.set(ip, { ip, mac: macs[item], frames });
        else Object.assign(e, { mac: macs[item], frames: e.frames + frames });
      }
    };
    add(this.previous, this.previousMac);
    add(this.current, this.currentMac);
    return [...out.values()].sort((a, b) => b.frames - a.frames || a.ip - b.ip).slice(0, n);
  }

  /** The window `ts` falls in becomes the current one; the one just ended the previous, or none after a silence. */
  private turn(ts: number): void {
    const start = Math.floor(ts / this.windowMicros) * this.windowMicros;
    const swap = this.previous;
    this.previous = this.current;
    this.current = swap;
    this.current.clear();
    const macs = this.previousMac;
    this.previousMac = this.currentMac;
    this.currentMac = macs;
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
