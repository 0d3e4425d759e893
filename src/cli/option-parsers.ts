import { InvalidArgumentError } from 'commander';

/**
 * The command line's numeric options, each with its range, and the one line a
 * usage error prints. Parsers throw commander's InvalidArgumentError with the
 * whole message in our words ("--lines -1: expected ..."); `usageErrorLine`
 * drops the prefix commander puts before it.
 */

export interface NumberRange {
  min: number;
  max: number;
  /** whole numbers only */
  integer?: boolean;
  /** min itself is refused (a positive number) */
  minExclusive?: boolean;
  /** what the number counts, said after the range: "MiB", "hours" */
  unit?: string;
  /** a value with a meaning of its own, said after the range: "0: all" */
  note?: string;
}

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 6 });

/** "a whole number from 1 to 2,047 MiB", "a number above 0 and up to 8,760 hours (0: all)" */
export function describeRange(r: NumberRange): string {
  const kind = r.integer === true ? 'a whole number' : 'a number';
  const span = r.minExclusive === true ? `above ${fmt(r.min)} and up to ${fmt(r.max)}` : `from ${fmt(r.min)} to ${fmt(r.max)}`;
  return `${kind} ${span}${r.unit === undefined ? '' : ` ${r.unit}`}${r.note === undefined ? '' : ` (${r.note})`}`;
}

/** The number `text` says, or null when it is no number in `r` (Number('') is 0 and Number(' 5') is 5: refused too). */
export function numberIn(text: string, r: NumberRange): number | null {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return null;
  const x = Number(text);
  if (!Number.isFinite(x) || (r.integer === true && !Number.isInteger(x))) return null;
  if (r.minExclusive === true ? x <= r.min : x < r.min) return null;
  return x > r.max ? null : x;
}

/** A commander parser for `flag`: the number, or one line naming the flag, the value and the range. */
export function numberOption(flag: string, r: NumberRange): (text: string) => number {
  return (text) => {
    const x = numberIn(text, r);
    if (x === null) throw new InvalidArgumentError(`${flag} ${text}: expected ${describeRange(r)}`);
    return x;
  };
}

/** `explain --lines`: 0 shows every line; a million is more than anyone pages through (a bigger number is a typo). */
export const LINES = numberOption('--lines', { min: 0, max: 1_000_000, integer: true, note: '0: all' });

/** `inventory diff --limit`: entries listed per list, 0 for all */
export const DIFF_LIMIT = numberOption('--limit', { min: 0, max: 1_000_000, integer: true, note: '0: all' });

/**
 * `capture --buffer-mib`: libpcap takes the buffer as a C int of bytes, so 2,048 MiB and more wrap
 * around (99999999 became a few MiB, silently); the kernel needs at least a page per block.
 */
export const BUFFER_MIB = numberOption('--buffer-mib', { min: 1, max: 2047, integer: true, unit: 'MiB' });

/**
 * `capture --seconds`: 0 runs until SIGINT/SIGTERM; the stop is a Node timer, and a timer beyond
 * 2^31-1 ms (24.8 days) fires at once, so longer runs are "until stopped".
 */
export const SECONDS = numberOption('--seconds', { min: 0, max: 2_147_483, unit: 'seconds', note: '0: until stopped' });

/** `mute --hours`: a year at most; a longer maintenance is a mute until unmuted (no --hours). */
export const HOURS = numberOption('--hours', { min: 0, max: 8760, minExclusive: true, unit: 'hours', note: 'without --hours: until unmuted' });

/**
 * `replay --speed`: a factor of capture speed. Below 1/1000 a second of capture takes over a quarter of an
 * hour (a typo, not a use); above a million times the pacing is `max` in effect.
 */
const SPEED_FACTOR: NumberRange = { min: 0.001, max: 1_000_000 };

export function speedOption(text: string): 'max' | number {
  if (text === 'max') return 'max';
  if (text === 'realtime') return 1;
  const x = numberIn(text, SPEED_FACTOR);
  if (x === null) throw new InvalidArgumentError(`--speed ${text}: expected max, realtime or a positive factor from 0.001 to 1,000,000 (10 = ten times faster)`);
  return x;
}

/**
 * The line printed for a usage error commander found: ours as is for the parsers above, a choice
 * refused in the same form, commander's own words (missing argument, unknown option) otherwise.
 */
export function usageErrorLine(commanderMessage: string): string {
  const m = commanderMessage.trimEnd().replace(/^error: /, '');
  const ours = /^option '[^']+' argument '.*' is invalid\. (--\S+ .*)$/s.exec(m);
  if (ours !== null) return ours[1];
  const choice = /^option '(--[^\s']+)[^']*' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/s.exec(m);
  if (choice !== null) return `${choice[1]} ${choice[2]}: expected ${choice[3].split(', ').join(' or ')}`;
  return m;
}
