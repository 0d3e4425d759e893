const MICROS_PER_DAY = 86_400_000_000;

/**
 * The latest packet time we take (µs since the epoch): doubles count microseconds exactly up to 2^53
 * (2255-06-05), well inside JS Date's range; pcap's unsigned seconds end in 2106, pcapng's go further.
 */
export const MAX_PACKET_MICROS = Number.MAX_SAFE_INTEGER;

/** A packet time decode accepts: from the epoch to MAX_PACKET_MICROS (NaN, from a record with no valid time, is not). */
export function isPacketTime(tsMicros: number): boolean {
  return tsMicros >= 0 && tsMicros <= MAX_PACKET_MICROS;
}
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
