/**
 * The classify and incident-book half of detection alone, for two trees alternating in one process: the signals of
 * A's replay of bench:detect's 4M-frame capture (in memory, as bench/detect-ab.ts) are recorded once (67,413, with
 * their packets), then replayed into a new DetectionPipeline of each tree (its `onSignal`, the book moved to each
 * signal's time, then to the capture's end), round after round: wall time of the replay of signals, best and median,
 * their ratio, and a hash of the incidents as `replay --format json` prints them (incidentJson), which must agree.
 * A step on src/classify or src/incidents shows here without the 2.5 s of the detector around it; its effect on the
 * whole replay (caches, collection) is still bench/detect-ab.ts's to measure.
 *
 *   flock /work/bench.lock npx tsx bench/signals-ab.ts --a DIR --b DIR [--runs 60]
 * (about 0.3 s a round; the recorded signals hold the heap, so take the best, and many rounds)
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryCapture } from './memory-capture.js';
import { captureParams, ensureDetectCapture, ensureInventory, inventoryParams } from './detect-capture.js';

const cli = parseArgs({ options: { a: { type: 'string' }, b: { type: 'string' }, runs: { type: 'string', default: '60' } } });
if (cli.values.a === undefined) {
  console.error('usage: signals-ab.ts --a DIR [--b DIR] [--runs N]');
  process.exit(2);
}
const runs = Number(cli.values.runs);

const { file: inventoryFile } = ensureInventory(inventoryParams());
// bench:detect's capture (issue 12's workload: 4,000,000 frames, 16 % of the inventory active)
const { file } = ensureDetectCapture(captureParams(inventoryParams(), 4_000_000, 0.16));
const capture = new MemoryCapture(file, 'signals-ab');

type ReplayMod = typeof import('../src/pipeline/replay.js');
type DetMod = typeof import('../src/pipeline/detection.js');
type ClsMod = typeof import('../src/classify/classify.js');
type PktMod = typeof import('../src/decode/arp-packet.js');
type JsonMod = typeof import('../src/incidents/incident-json.js');
type Sig = import('../src/detect/signal.js').Signal;

/** A tree's modules the replay of signals uses, its inventory, and its timings. */
async function loadTree(dir: string) {
  const imp = async <T>(p: string): Promise<T> => (await import(path.join(dir, p))) as T;
  const inv = await imp<typeof import('../src/inventory/load.js')>('src/inventory/load.ts');
  const schema = await imp<typeof import('../src/config/schema.js')>('src/config/schema.ts');
  return { dir, replay: await imp<ReplayMod>('src/pipeline/replay.ts'), det: await imp<DetMod>('src/pipeline/detection.ts'), cls: await imp<ClsMod>('src/classify/classify.ts'),
    pkt: await imp<PktMod>('src/decode/arp-packet.ts'), json: await imp<JsonMod>('src/incidents/incident-json.ts'),
    config: schema.defaultConfig(), inventory: inv.loadInventory(inventoryFile), times: [] as number[], hash: '' };
}
const A = await loadTree(path.resolve(cli.values.a));
const B = await loadTree(path.resolve(cli.values.b ?? cli.values.a));
// the signal stream of A's replay, copied as it goes to the classifier (the signal object and its packet are reused)
const rec: Sig[] = [];
const proto = A.cls.Classifier.prototype;
const orig = proto.caseOf;
proto.caseOf = function (this: InstanceType<ClsMod['Classifier']>, s: Readonly<Sig>) {
  rec.push({ ...s, packet: new A.pkt.ArpPacket().copyFrom(s.packet) });
  return orig.call(this, s);
};
const base = await A.replay.replayFile(capture, A.config, A.inventory);
proto.caseOf = orig;
const endTs = base.summary.lastTs;
const baseHash = createHash('sha256').update(JSON.stringify(base.detection!.incidents!.map(A.json.incidentJson))).digest('hex');
console.log(`${rec.length} signals recorded; replay's incidents ${base.detection!.incidents!.length} ${baseHash.slice(0, 12)}`);
for (let r = 0; r < runs; r++) {
  for (const t of r % 2 === 0 ? [A, B] : [B, A]) {
    const d = new t.det.DetectionPipeline(t.inventory, t.config.detector, [], { recordAll: true, recordLimit: 10000 });
    const onSignal = (d as unknown as { onSignal: (s: Readonly<Sig>) => void }).onSignal;
    const t0 = performance.now();
    for (let i = 0; i < rec.length; i++) { d.book.advanceTo(rec[i].tsMicros); onSignal(rec[i]); }
    d.advanceTo(endTs);
    t.times.push(performance.now() - t0);
    t.hash = createHash('sha256').update(JSON.stringify(d.incidents!.map(t.json.incidentJson))).digest('hex') + ` ${d.incidents!.length}`;
  }
}
const best = (a: readonly number[]): number => Math.min(...a);
const median = (a: readonly number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [name, t] of [['A', A], ['B', B]] as const) {
  console.log(`${name} ${t.dir}: best ${best(t.times).toFixed(1)} ms, median ${median(t.times).toFixed(1)} ms; incidents ${t.hash.slice(0, 12)}…,${t.hash.slice(64)}`);
}
console.log(A.hash === B.hash ? 'same incidents' : 'DIFFERENT incidents');
console.log(`B/A: best ${(best(B.times) / best(A.times)).toFixed(3)}, median ${(median(B.times) / median(A.times)).toFixed(3)}; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
