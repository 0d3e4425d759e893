import type { MetricPoint } from './metric-point.js';

// line protocol's escapes (InfluxDB 1.x and 2.x): a measurement escapes commas and spaces; tag keys and values '=' too
const MEASUREMENT_SPECIAL = /[, ]/;
const MEASUREMENT_SPECIALS = /[, ]/g;
const TAG_SPECIAL = /[,= ]/;
const TAG_SPECIALS = /[,= ]/g;

/** bytes a number takes at most in JavaScript's text of it (-1.2345678901234567e-308: 24) */
const NUMBER_BYTES = 32;

/** A name escaped once: metric names and label keys are a few dozen, fixed at setup. */
const NAMES_CACHED_AT_MOST = 4096;

const VALUE_EQ = Buffer.from('value=', 'latin1');

/** `from`'s first `n` bytes into `to` at `pos`; returns the position after them. A loop for the short series and names of a line (a native copy costs more). */
function copy(from: Uint8Array, to: Uint8Array, pos: number, n = from.length): number {
  if (n > 64) {
    to.set(n === from.length ? from : from.subarray(0, n), pos);
    return pos + n;
  }
  for (let i = 0; i < n; i++) to[pos + i] = from[i];
  return pos + n;
}

/**
 * Points as InfluxDB line protocol, one line each (newline between): `measurement,tag=value,... value=NUMBER TIME`,
 * or the point's own fields instead of `value` (floats, as the client libraries write a number; TIME in µs). Built as
 * one string without intermediate objects: the cost that counted was the client libraries' per-point objects and
 * escaping (bench/README.md, metrics). A tag with an empty value is left out: line protocol has none (a server
 * refuses the whole batch), and a query sees no tag as empty.
 */
/** Series texts kept per measurement at most: above the 10,000 watched senders and the top ones. */
const SERIES_AT_MOST = 20_000;

export class LineEncoder {
  private readonly measurements = new Map<string, string>();
  private readonly keys = new Map<string, string>();
  /**
   * A series' text (measurement and tags) by measurement and label set. Only frozen label sets are kept: those are
   * built once and given to every snapshot (the registered counters', the traffic's and the senders' own), so the
   * same series is escaped once; a set built afresh each time would only fill the table. A Map, not a WeakMap: the
   * thousands of senders' sets in weak tables cost more in garbage collection than the lookups saved; emptied past
   * SERIES_AT_MOST a measurement instead.
   */
  private readonly series = new Map<string, Map<object, Uint8Array>>();
  /** the series table of the measurement looked up last */
  private lastMeasurement = '';
  private lastSeries: Map<object, Uint8Array> | undefined;
  /** a field's name and '=' as bytes */
  private readonly fields = new Map<string, Uint8Array>();
  /** ' ' and the time's digits of the points being written */
  private readonly timeBytes = new Uint8Array(1 + NUMBER_BYTES);

  /** where encodeBytes writes: grown as needed, reused by the next call */
  private buf = Buffer.allocUnsafe(1 << 16);

  encode(points: readonly MetricPoint[]): string {
    return this.encodeBytes(points).toString('utf8');
  }

  /**
   * The same text as UTF-8 bytes, written straight into a buffer this encoder reuses: valid until its next call (the
   * pump writes one batch at a time and waits for the answer). No line strings, no join, no copy: the strings of a
   * replay's 54,000 points were the most garbage metrics made (a tenth of the replay's allocations).
   */
  encodeBytes(points: readonly MetricPoint[]): Buffer {
    let pos = 0;
    // a snapshot's points share their time: its bytes are made once
    let time = Number.NaN;
    let timeLength = 0;
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      if (p.timeMicros !== time) {
        time = p.timeMicros;
        this.timeBytes[0] = 0x20;
        timeLength = this.digits(this.timeBytes, 1, time);
      }
      const series = this.seriesOf(p.measurement, p.tags);
      pos = this.room(pos, series.length + 2);
      if (i > 0) this.buf[pos++] = 0x0a;
      pos = copy(series, this.buf, pos);
      this.buf[pos++] = 0x20;
      if (p.fields === undefined) {
        pos = this.room(pos, VALUE_EQ.length + NUMBER_BYTES);
        pos = copy(VALUE_EQ, this.buf, pos);
        pos = this.number(pos, p.value);
      } else {
        let first = true;
        for (const k in p.fields) {
          // the field's escaped name and '=' (a comma before all but the first)
          const name = this.fieldOf(k);
          pos = this.room(pos, name.length + 1 + NUMBER_BYTES);
          if (!first) this.buf[pos++] = 0x2c;
          first = false;
          pos = copy(name, this.buf, pos);
          pos = this.number(pos, p.fields[k]);
        }
      }
      pos = this.room(pos, timeLength);
      pos = copy(this.timeBytes, this.buf, pos, timeLength);
    }
    return this.buf.subarray(0, pos);
  }

  /** Leaves the buffer to whoever holds the last bytes (a request still sending them): the next call writes into a new one. */
  detach(): void {
    this.buf = Buffer.allocUnsafe(this.buf.length);
  }

  /** At least `n` bytes free after `pos` (the buffer doubled, what is written kept). */
  private room(pos: number, n: number): number {
    if (pos + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (pos + n > size) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      this.buf.copy(grown, 0, 0, pos);
      this.buf = grown;
    }
    return pos;
  }

  /** A number as JavaScript prints it (what the clients write): an integer's digits without a string, others through one. */
  private number(pos: number, v: number): number {
    if (Number.isSafeInteger(v)) return this.digits(this.buf, pos, v);
    return pos + this.buf.write(String(v), pos, 'latin1');
  }

  /** A safe integer's decimal digits (and sign) into `to` at `pos`; returns the position after them. */
  private digits(to: Uint8Array, pos: number, v: number): number {
    if (v === 0) {
      to[pos] = 0x30;
      return pos + 1;
    }
    if (v < 0) {
      to[pos++] = 0x2d;
      v = -v;
    }
    let n = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) n++;
    for (let i = pos + n - 1; i >= pos; i--) {
      to[i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
    return pos + n;
  }

  /** A series' bytes (measurement and tags, escaped, UTF-8): made once per frozen label set, copied into each line. */
  private seriesOf(measurement: string, tags: Readonly<Record<string, string>>): Uint8Array {
    if (!Object.isFrozen(tags)) return Buffer.from(this.seriesText(measurement, tags), 'utf8');
    // points come in runs of one measurement: its table is looked up once a run
    let known = measurement === this.lastMeasurement ? this.lastSeries : this.series.get(measurement);
    if (known === undefined) this.series.set(measurement, known = new Map());
    this.lastMeasurement = measurement;
    this.lastSeries = known;
    let bytes = known.get(tags);
    if (bytes === undefined) {
      if (known.size === SERIES_AT_MOST) known.clear();
      known.set(tags, bytes = Buffer.from(this.seriesText(measurement, tags), 'utf8'));
    }
    return bytes;
  }

  /** A field's escaped name and '=', as bytes (a point's fields are a few names, fixed in the code). */
  private fieldOf(key: string): Uint8Array {
    let bytes = this.fields.get(key);
    if (bytes === undefined) {
      bytes = Buffer.from(`${this.name(this.keys, key, TAG_SPECIAL, TAG_SPECIALS)}=`, 'utf8');
      if (this.fields.size < NAMES_CACHED_AT_MOST) this.fields.set(key, bytes);
    }
    return bytes;
  }

  private seriesText(measurement: string, tags: Readonly<Record<string, string>>): string {
    let line = this.name(this.measurements, measurement, MEASUREMENT_SPECIAL, MEASUREMENT_SPECIALS);
    for (const k in tags) {
      const v = tags[k];
      if (v === '') continue;
      line += `,${this.name(this.keys, k, TAG_SPECIAL, TAG_SPECIALS)}=${TAG_SPECIAL.test(v) ? v.replace(TAG_SPECIALS, '\\$&') : v}`;
    }
    return line;
  }

  private name(cache: Map<string, string>, s: string, special: RegExp, specials: RegExp): string {
    const known = cache.get(s);
    if (known !== undefined) return known;
    const escaped = special.test(s) ? s.replace(specials, '\\$&') : s;
    if (cache.size < NAMES_CACHED_AT_MOST) cache.set(s, escaped);
    return escaped;
  }
}
