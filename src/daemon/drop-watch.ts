/** How often a growing kernel drop count is told: once a minute while it grows, silence otherwise. */
export const DROP_REPORT_MICROS = 60_000_000;

/**
 * Watches the kernel's drop counter (pcap_stats) on the daemon's clock. The first drops are told at
 * once; later ones at most once per interval, with how many were lost since the last line.
 */
export class DropWatch {
  private told = 0;
  private lastAt = -Infinity;

  constructor(private readonly intervalMicros = DROP_REPORT_MICROS) {}

  /** The drops to report now (since the last report), or null: none new, or told too recently. */
  check(dropped: number, nowMicros: number): number | null {
    if (dropped <= this.told) return null;
    if (nowMicros - this.lastAt < this.intervalMicros) return null;
    const lost = dropped - this.told;
    this.told = dropped;
    this.lastAt = nowMicros;
    return lost;
  }
}
