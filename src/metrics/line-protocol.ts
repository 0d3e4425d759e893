import type { MetricPoint } from './metric-point.js';

// line protocol's escapes (InfluxDB 1.x and 2.x): a measurement escapes commas and spaces; tag keys and values '=' too
const MEASUREMENT_SPECIAL = /[, ]/;
const MEASUREMENT_SPECIALS = /[, ]/g;
const TAG_SPECIAL = /[,= ]/;
const TAG_SPECIALS = /[,= ]/g;

/** A name escaped once: metric names and label keys are a few dozen, fixed at setup. */
const NAMES_CACHED_AT_MOST = 4096;

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
  private readonly series = new Map<string, Map<object, string>>();

  encode(points: readonly MetricPoint[]): string {
    // joined at the end: one flat string, not a rope the Buffer would have to flatten
    const lines = new Array<string>(points.length);
    // a snapshot's points share their time: its text is made once
    let time = Number.NaN;
    let timeText = '';
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      if (p.timeMicros !== time) {
        time = p.timeMicros;
        timeText = ` ${time}`;
      }
      const series = this.seriesOf(p.measurement, p.tags);
      lines[i] = p.fields === undefined ? `${series} value=${p.value}${timeText}` : `${series} ${this.fieldSet(p.fields)}${timeText}`;
    }
    return lines.join('\n');
  }

  private seriesOf(measurement: string, tags: Readonly<Record<string, string>>): string {
    if (!Object.isFrozen(tags)) return this.seriesText(measurement, tags);
    let known = this.series.get(measurement);
    if (known === undefined) this.series.set(measurement, known = new Map());
    let text = known.get(tags);
    if (text === undefined) {
      if (known.size === SERIES_AT_MOST) known.clear();
      known.set(tags, text = this.seriesText(measurement, tags));
    }
    return text;
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

  private fieldSet(fields: Readonly<Record<string, number>>): string {
    let out = '';
    for (const k in fields) out += `${out === '' ? '' : ','}${this.name(this.keys, k, TAG_SPECIAL, TAG_SPECIALS)}=${fields[k]}`;
    return out;
  }

  private name(cache: Map<string, string>, s: string, special: RegExp, specials: RegExp): string {
    const known = cache.get(s);
    if (known !== undefined) return known;
    const escaped = special.test(s) ? s.replace(specials, '\\$&') : s;
    if (cache.size < NAMES_CACHED_AT_MOST) cache.set(s, escaped);
    return escaped;
  }
}
