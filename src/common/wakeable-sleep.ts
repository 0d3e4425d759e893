/**
 * A backoff sleep that can be cut short: a retry loop waits in `sleep(ms)`, and `wake()` (a close,
 * say) ends the wait at once. The slow sinks' pumps share it.
 */
export class WakeableSleep {
  private wakeUp: (() => void) | null = null;

  sleep(ms: number): Promise<void> {
    return new Promise((r) => {
      const t = setTimeout(() => { this.wakeUp = null; r(); }, ms);
      this.wakeUp = () => { clearTimeout(t); this.wakeUp = null; r(); };
    });
  }

  /** Ends the current sleep, if any. */
  wake(): void {
    this.wakeUp?.();
  }
}

/** Waits for `p`, or `timeoutMs` at most (Infinity: as long as it takes). */
export async function waitAtMost(p: Promise<void>, timeoutMs: number): Promise<void> {
  if (!Number.isFinite(timeoutMs)) return p;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((r) => { timer = setTimeout(r, timeoutMs); })]);
  clearTimeout(timer);
}
