/**
 * How long an incident kept open by the persistence rule stays open after its last evidence, µs: as long as its next
 * event, however slow, would still be evidence. Events every g periods keep 1 + ⌊(H − 1) / g⌋ distinct periods in a
 * horizon of H, which is at least the P needed while g ≤ ⌊(H − 1) / (P − 1)⌋; one period more covers where in its period
 * the last event fell. The quiet period alone (5 min by default, under the 7 min such a host may go between events)
 * resolved it between two events, and the next reopened it: a new incident every few minutes.
 */
export function persistentQuietMicros(p: { periodSeconds: number; periods: number; horizonSeconds: number }): number {
  const horizon = Math.floor(p.horizonSeconds / p.periodSeconds);
  return (Math.floor((horizon - 1) / (p.periods - 1)) + 1) * p.periodSeconds * 1e6;
}
