/** Helpers the locales' shared wording is written with: dates, numbers, plurals, durations, the commands it names. */
import { code } from './doc.js';
import type { Stamp } from './common.js';

export const sameDay = (a: Stamp, b: Stamp): boolean => a.y === b.y && a.mo === b.mo && a.d === b.d;

/** 12345 → "12,345" with the locale's separator */
export const groupDigits = (n: number, sep: string): string => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, sep);

/** n with the singular or plural noun phrase */
export const pl = (n: number, one: string, many: string): string => (n === 1 ? one : many);

/** a locale's words for seconds, minutes and hours, singular and plural */
export interface DurationUnits { s: [string, string]; m: [string, string]; h: [string, string] }

/** an exact duration in the largest unit it is a whole number of: 60 → "60 seconds", 1800 → "30 minutes", 7200 → "2 hours" */
export function exactly(seconds: number, units: DurationUnits): string {
  const [n, unit] = seconds >= 7200 && seconds % 3600 === 0 ? [seconds / 3600, units.h] : seconds >= 120 && seconds % 60 === 0 ? [seconds / 60, units.m] : [seconds, units.s];
  return `${n} ${pl(n, ...unit)}`;
}

/** rounded duration: "about 5 minutes" */
export function roughly(seconds: number, units: DurationUnits, about: string): string {
  if (seconds < 90) {
    const n = Math.max(1, Math.round(seconds));
    return `${about} ${n} ${pl(n, ...units.s)}`;
  }
  if (seconds < 5400) {
    const n = Math.round(seconds / 60);
    return `${about} ${n} ${pl(n, ...units.m)}`;
  }
  const n = Math.round(seconds / 3600);
  return `${about} ${n} ${pl(n, ...units.h)}`;
}

/** commands the locales name in prose */
export const DISTRO_CMD = { netplan: code('netplan apply'), nm: code('nmcli connection show'), link: code('ip -br link') };
export const TCPDUMP_FORMAT = code('tcpdump -tttt -nn -e');
