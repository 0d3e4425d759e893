/**
 * When a live capture lets time pass without frames. While frames flow, time is theirs alone, so
 * a live run decides exactly what a replay of its capture decides. Only a wire silent for
 * `silentBeats` heartbeats moves packet time, to the clock minus `lagMicros`, so frames still in the
 * kernel ring keep their own time; that way incidents still resolve on a quiet network.
 */
export class LiveClock {
  private seen = -1;
  private silent = 0;

  constructor(private readonly silentBeats: number, private readonly lagMicros: number) {}

  /** One heartbeat: the frames seen so far and the clock. Returns the packet time to move to, or null. */
  beat(framesSeen: number, clockMicros: number): number | null {
    this.silent = framesSeen === this.seen ? this.silent + 1 : 0;
    this.seen = framesSeen;
    return this.silent >= this.silentBeats ? clockMicros - this.lagMicros : null;
  }
}

/** How often the daemon beats, ms. */
export const HEARTBEAT_MS = 1000;
/** The heartbeat stays this far behind the clock, so frames still in the kernel ring keep their own time. */
export const HEARTBEAT_LAG_MICROS = 2e6;
/** Only a wire silent this many heartbeats moves time by the clock. */
export const SILENT_HEARTBEATS = 10;
