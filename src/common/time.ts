/** Packet time (microseconds since the epoch) as ISO 8601 with microseconds, UTC. */
export function isoMicros(tsMicros: number): string {
  const ms = Math.floor(tsMicros / 1000);
  const micros = Math.floor(tsMicros - ms * 1000);
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, milli: string) => `.${milli}${String(micros).padStart(3, '0')}Z`);
}

/** As `tcpdump -tttt` prints it, in UTC: 2026-11-02 09:00:00.000000 */
export function tcpdumpTime(tsMicros: number): string {
  return isoMicros(tsMicros).replace('T', ' ').replace('Z', '');
}
