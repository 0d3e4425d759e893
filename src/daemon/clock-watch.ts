/**
 * Packet time this far ahead of the clock is no delay of the kernel ring (frames are behind the clock, never ahead):
 * the clock went back, or the state restored packet time saved under a clock that was ahead (µs).
 */
export const CLOCK_BEHIND_MICROS = 60e6;
/** While the clock stays behind, it is said again this often (µs of the clock). */
export const CLOCK_REPORT_MICROS = 3600e6;

/**
 * Watches packet time against the clock, in the live daemon only. Why: packet time never runs back (an older frame
 * counts as now), so after the clock is stepped back detection stands still until the clock catches up: the windows
 * do not slide and no incident resolves. Nothing decides on it (replay must decide as the live run did): it is told.
 */
export class ClockWatch {
  private behind = false;
  private lastAt = -Infinity;

  constructor(private readonly reportMicros = CLOCK_REPORT_MICROS, private readonly limitMicros = CLOCK_BEHIND_MICROS) {}

  /** What to tell now: the clock behind packet time (at once, then once per interval), back in step (once), or nothing. */
  check(packetTime: number, clock: number): { kind: 'behind'; aheadMicros: number } | { kind: 'in_step' } | null {
    const ahead = packetTime - clock;
    if (ahead <= this.limitMicros) {
      if (!this.behind) return null;
      this.behind = false;
      this.lastAt = -Infinity;
      return { kind: 'in_step' };
    }
    this.behind = true;
    if (clock - this.lastAt < this.reportMicros) return null;
    this.lastAt = clock;
    return { kind: 'behind', aheadMicros: ahead };
  }
}
