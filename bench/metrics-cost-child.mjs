/**
 * The rounds of bench/metrics-cost.ts, in a process of its own on the built code (dist/, `npm run build`) under plain
 * node: what `arpwarden replay` runs, without tsx's loader (under tsx the snapshots took twice as long as in dist/).
 *   node bench/metrics-cost-child.mjs SPEC_JSON
 * SPEC: { file, inventory (a YAML file or null), origin (influxd's http://HOST:PORT), database (a prefix), warmup, runs }:
 * `warmup` rounds first (the JIT compiles the metrics' code in them), then `runs`.
 * Each round is the replay with metrics off, then with metrics on into a database of its own; prints one JSON line a
 * round: { round (0 and below: a warm-up round), off, offCpu, on, onCpu, prepare, flush, points, notWritten, lastError, counts } (seconds; counts:
 * the first round's traffic summary, for the parent's check against the generated capture, both replays).
 */
const dist = new URL('../dist/', import.meta.url);
const { FileSource } = await import(new URL('capture/file-source.js', dist).href);
const { defaultConfig } = await import(new URL('config/schema.js', dist).href);
const { replayMetrics } = await import(new URL('metrics/replay-metrics.js', dist).href);
const { replayFile } = await import(new URL('pipeline/replay.js', dist).href);
const { Telemetry } = await import(new URL('telemetry/telemetry.js', dist).href);
const { loadInventory } = await import(new URL('inventory/load.js', dist).href);

const spec = JSON.parse(process.argv[2]);
const inventory = spec.inventory === null ? null : loadInventory(spec.inventory);
const config = defaultConfig();

/** this process's CPU time since `from` (user + system), seconds: a shared machine's other load does not count in it */
const cpuSeconds = (from) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};

/** What bench/capture.ts's check compares with the generated capture. */
const counts = (s) => ({
  frames: s.frames, arpFrames: s.arpFrames, byDepth: Array.from(s.byDepth), notArp: s.results[1],
  requests: s.requests, replies: s.replies, gratuitous: s.gratuitous, probes: s.probes,
  malformed: Object.values(s.malformed()).reduce((x, y) => x + y, 0), firstTs: s.firstTs, lastTs: s.lastTs,
  vlans: s.vlans().map((v) => [v.vlan, v.frames]),
});

for (let round = 1 - spec.warmup; round <= spec.runs; round++) {
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  // as `replay FILE` runs without --influx: the same configuration (its top-senders sketch included), no telemetry
  const plain = await replayFile(new FileSource(spec.file), config, inventory);
  const off = (performance.now() - t0) / 1000;
  const offCpu = cpuSeconds(c0);

  // as `replay FILE --influx URL`: a database per round, each run writes the whole timeline anew
  t0 = performance.now();
  c0 = process.cpuUsage();
  const telemetry = new Telemetry();
  const metrics = await replayMetrics(`${spec.origin}/${spec.database}${round}`, config.metrics, telemetry);
  const prepared = performance.now();
  const run = await replayFile(metrics.source(new FileSource(spec.file)), config, inventory, [], telemetry, undefined, metrics.clock);
  const replayed = performance.now();
  const done = await metrics.finish();
  const end = performance.now();
  process.stdout.write(JSON.stringify({
    round, off, offCpu, on: (end - t0) / 1000, onCpu: cpuSeconds(c0),
    prepare: (prepared - t0) / 1000, flush: (end - replayed) / 1000,
    points: metrics.json().written, notWritten: done.notWritten, lastError: done.lastError,
    counts: round === 1 - spec.warmup ? [counts(plain.summary), counts(run.summary)] : null,
  }) + '\n');
}
