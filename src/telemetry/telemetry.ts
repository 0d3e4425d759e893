/**
 * The daemon's numbers, read at any moment by whoever wants them (metrics sinks, the page, a log
 * line a minute, the summary at exit). Two kinds of producers:
 * - counters registered once, at setup, and bumped by index (`add(id)`: a typed-array increment,
 *   no lookup by name on the path that bumps them);
 * - sources: stages that already keep their own counts in typed arrays (traffic, detector, incident
 *   book, capture, sinks) and write them out only when a snapshot is taken.
 * A snapshot is a flat list of samples: name, labels, value, with the help text registered for the name.
 */

export type MetricKind = 'counter' | 'gauge';
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly name: string;
  readonly kind: MetricKind;
  readonly labels: Labels;
  readonly value: number;
}

export interface MetricInfo {
  readonly kind: MetricKind;
  readonly help: string;
}

export interface TelemetrySnapshot {
  /** packet time of the pipeline when taken, µs since the epoch (0 before the first frame) */
  readonly packetTimeMicros: number;
  readonly samples: readonly Sample[];
  /** kind and help text of every metric name in `samples` */
  readonly metrics: ReadonlyMap<string, MetricInfo>;
  /** a snapshot of changes (snapshotChanges): the series its sources told unchanged since the one before, no samples for them */
  readonly same?: readonly SeriesKey[];
}

/**
 * A series a source writes as one or more samples (a sender's counts), named by its first sample's name and labels:
 * what `SampleWriter.same` takes. Built once per series by the source, so telling it costs no allocation.
 */
export interface SeriesKey {
  readonly name: string;
  readonly labels: Labels;
}

/** A metric's name, kind and help text, as a table row: a source declares its metrics in one table. */
export type MetricDeclaration = readonly [name: string, kind: MetricKind, help: string];

/** What a source writes its samples through. */
export interface SampleWriter {
  counter(name: string, value: number, labels?: Labels): void;
  gauge(name: string, value: number, labels?: Labels): void;
  /**
   * 0 in a full snapshot; in a snapshot of changes (the metrics writer's, one consumer), its number: 1, 2, ... A source
   * may then tell a series unchanged since snapshot `changes - 1` by `same` instead of writing its samples.
   */
  readonly changes: number;
  /** In a snapshot of changes: `key`'s samples are those it had in the one before (its values and its presence). */
  same(key: SeriesKey): void;
}

export type TelemetrySource = (out: SampleWriter) => void;

/** A registered counter's index. */
export type CounterId = number;

const NO_LABELS: Labels = Object.freeze({});

export class Telemetry {
  private values = new Float64Array(64);
  private readonly registered: { name: string; labels: Labels }[] = [];
  private readonly byKey = new Map<string, CounterId>();
  private readonly info = new Map<string, MetricInfo>();
  private readonly sources: { name: string; collect: TelemetrySource }[] = [];
  private packetTime: () => number = () => 0;
  /** what snapshots hand out as `metrics`: copied once per change of the declarations, not per snapshot */
  private infoCopy: ReadonlyMap<string, MetricInfo> | null = null;
  /** snapshots of changes taken, and for whom the last one was */
  private changeSnapshots = 0;
  private changesFor: object | null = null;
  /** a snapshot of changes' samples and unchanged series, reused by the next one */
  private readonly pool: { samples: MutableSample[]; same: SeriesKey[] } = { samples: [], same: [] };

  /** Declares a metric name with its kind and help text (once per name; sources call it at setup too). */
  describe(name: string, kind: MetricKind, help: string): void {
    const known = this.info.get(name);
    if (known !== undefined && known.kind !== kind) throw new Error(`telemetry: ${name} declared as ${known.kind} and ${kind}`);
    if (known === undefined) {
      this.info.set(name, { kind, help });
      this.infoCopy = null;
    }
  }

  describeAll(table: readonly MetricDeclaration[]): void {
    for (const [name, kind, help] of table) this.describe(name, kind, help);
  }

  /** A counter, registered once at setup; the same name and labels give the same id. */
  counter(name: string, help: string, labels: Labels = NO_LABELS): CounterId {
    this.describe(name, 'counter', help);
    const key = `${name}${JSON.stringify(labels)}`;
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const id = this.registered.length;
    this.registered.push({ name, labels: Object.freeze({ ...labels }) });
    this.byKey.set(key, id);
    if (id === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    return id;
  }

  add(id: CounterId, n = 1): void {
    this.values[id] += n;
  }

  /** The current value of a registered counter. */
  read(id: CounterId): number {
    return this.values[id];
  }

  /** A stage that writes its own samples when a snapshot is taken. `name` is for errors and for replacing it (a reload). */
  source(name: string, collect: TelemetrySource): void {
    const i = this.sources.findIndex((s) => s.name === name);
    if (i >= 0) this.sources[i] = { name, collect };
    else this.sources.push({ name, collect });
  }

  /** Where the snapshot's packet time comes from (the pipeline's clock). */
  clock(packetTime: () => number): void {
    this.packetTime = packetTime;
  }

  /** Every sample: what /metrics, /api/stats and the summaries read. */
  snapshot(): TelemetrySnapshot {
    return this.take(0);
  }

  /**
   * A snapshot for the one consumer that keeps the previous one (the metrics writer): the series a source knows to be
   * unchanged since the last snapshot of changes are in `same`, not in `samples`. Making thousands of watched senders'
   * samples and points each snapshot, most of them repeats, was most of what metrics cost with detection on.
   * `consumer`: who keeps the previous one; another consumer's first snapshot has every sample (a number skipped, so
   * that no source finds its series in "the one before"). Its samples and `same` are valid until the next call: read
   * them, do not keep them.
   */
  snapshotChanges(consumer: object): TelemetrySnapshot {
    if (consumer !== this.changesFor) {
      this.changesFor = consumer;
      this.changeSnapshots++;
    }
    return this.take(++this.changeSnapshots);
  }

  private take(changes: number): TelemetrySnapshot {
    // a snapshot of changes has one reader, done with it before the next (the metrics writer): its samples and lists
    // are this object's own, written over each time (a replay's hundred snapshots made 11,000 sample objects)
    const pooled = changes > 0;
    const samples: MutableSample[] = pooled ? this.pool.samples : [];
    const same: SeriesKey[] = pooled ? this.pool.same : [];
    let n = 0;
    same.length = 0;
    // a sample object written over where the pool has one (a full snapshot's array is new: it never has)
    const push = (name: string, kind: MetricKind, labels: Labels, value: number): void => {
      const s = samples[n++];
      if (s === undefined) samples.push({ name, kind, labels, value });
      else {
        s.name = name;
        s.kind = kind;
        s.labels = labels;
        s.value = value;
      }
    };
    for (let id = 0; id < this.registered.length; id++) {
      const r = this.registered[id];
      push(r.name, 'counter', r.labels, this.values[id]);
    }
    const info = this.info;
    // a source writes runs of one name (a family's label sets): its declaration is checked once a run
    let checkedName = '';
    let checkedKind: MetricKind = 'counter';
    const write = (kind: MetricKind) => (name: string, value: number, labels: Labels = NO_LABELS): void => {
      if (name !== checkedName || kind !== checkedKind) {
        const known = info.get(name);
        if (known === undefined) throw new Error(`telemetry: ${name} written by a source but never described`);
        if (known.kind !== kind) throw new Error(`telemetry: ${name} is a ${known.kind}, written as a ${kind}`);
        checkedName = name;
        checkedKind = kind;
      }
      push(name, kind, labels, value);
    };
    const out: SampleWriter = {
      counter: write('counter'),
      gauge: write('gauge'),
      changes,
      same: (key) => {
        if (changes === 0) throw new Error(`telemetry: ${key.name} told unchanged in a full snapshot`);
        same.push(key);
      },
    };
    for (const s of this.sources) s.collect(out);
    samples.length = n;
    this.infoCopy ??= new Map(info);
    return { packetTimeMicros: this.packetTime(), samples, metrics: this.infoCopy, same };
  }
}

/** A sample of a snapshot of changes, written over by the next one. */
interface MutableSample {
  name: string;
  kind: MetricKind;
  labels: Labels;
  value: number;
}

/** The value of one sample of a snapshot (tests, summaries), or undefined. */
export function sampleValue(snap: TelemetrySnapshot, name: string, labels: Labels = NO_LABELS): number | undefined {
  const keys = Object.keys(labels);
  const s = snap.samples.find((x) => x.name === name && keys.every((k) => x.labels[k] === labels[k]) && Object.keys(x.labels).length === keys.length);
  return s?.value;
}

/** The sum of a metric over all its label sets. */
export function sampleTotal(snap: TelemetrySnapshot, name: string): number {
  let n = 0;
  for (const s of snap.samples) if (s.name === name) n += s.value;
  return n;
}
