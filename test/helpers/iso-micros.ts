/** 2026-11-02T09:14:54.934788Z (what the JSON outputs print) → µs since the epoch (Date.parse keeps milliseconds only). */
export function parseIsoMicros(iso: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)\.(\d{6})Z$/.exec(iso);
  if (m === null) throw new Error(`not an ISO time with microseconds: ${iso}`);
  return Date.parse(`${m[1]}Z`) * 1000 + Number(m[2]);
}
