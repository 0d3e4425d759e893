const MICROS_PER_DAY = 86_400_000_000;
/** the date part of the last day formatted: consecutive packets share it */
let cachedDay = -1;
let cachedDate = '';

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** "YYYY-MM-DD", "HH:MM:SS.ffffff" of a packet time (µs since the epoch, UTC). */
function parts(tsMicros: number): [string, string] {
  const day = Math.floor(tsMicros / MICROS_PER_DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * 86_400_000).toISOString().slice(0, 10);
  }
  const inDay = tsMicros - day * MICROS_PER_DAY;
  const secs = Math.floor(inDay / 1e6);
  const micros = Math.floor(inDay - secs * 1e6);
  const time = `${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}.${String(micros).padStart(6, '0')}`;
  return [cachedDate, time];
}

/** Packet time (microseconds since the epoch) as ISO 8601 with microseconds, UTC. */
export function isoMicros(tsMicros: number): string {
  const [d, t] = parts(tsMicros);
  return `${d}T${t}Z`;
}

/** As `tcpdump -tttt` prints it, in UTC: 2026-11-02 09:00:00.000000 */
export function tcpdumpTime(tsMicros: number): string {
  const [d, t] = parts(tsMicros);
  return `${d} ${t}`;
}
