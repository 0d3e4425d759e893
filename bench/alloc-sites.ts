/**
 * Where steady-state detection allocates, to find what alloc-budget.ts counts:
 * V8's sampling heap profiler (objects the GCs collected included) over one
 * ≥ 300,000 frames of passes of a capture after ≥ 1,000,000 of warm-up, in alloc-budget.ts's loop (incidents kept open, as there),
 * allocation sites by bytes per frame, with three callers. Positions are
 * columns: tsx puts each module on one line.
 *
 *   npx tsx bench/alloc-sites.ts CAPTURE.pcap INVENTORY.yaml
 */
import { Session } from 'node:inspector/promises';
import { defaultConfig } from '../src/config/schema.js';
import { loadInventory } from '../src/inventory/load.js';
import { DetectionPipeline } from '../src/pipeline/detection.js';
import { frameHandler } from '../src/pipeline/pipeline.js';
import { TrafficSummary } from '../src/pipeline/traffic-summary.js';
import { loadFrames, pass as replayPass } from './alloc-budget.js';

interface ProfileNode { callFrame: { functionName: string; url: string; columnNumber: number }; selfSize: number; children: ProfileNode[] }

const [capture, inventory] = process.argv.slice(2);
if (capture === undefined || inventory === undefined) {
  console.error('usage: alloc-sites.ts CAPTURE.pcap INVENTORY.yaml');
  process.exit(2);
}
const f = await loadFrames(capture);
const detection = new DetectionPipeline(loadInventory(inventory), { ...defaultConfig().detector, quiet_period_seconds: 1e9 });
const onFrame = frameHandler(f.linkType, new TrafficSummary(), detection.onArp);
const period = f.spanMicros + 1e6;
let k = 0;
// the loop alloc-budget.ts measures (the handler a parameter, as a frame source has it)
const pass = (): void => replayPass(f, onFrame, k++ * period);
const warmup = Math.max(3, Math.ceil(1_000_000 / Math.max(1, f.count)));
for (let w = 0; w < warmup; w++) pass();
const measured = Math.max(1, Math.ceil(300_000 / Math.max(1, f.count)));
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 64, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (let m = 0; m < measured; m++) pass();
const { profile } = await session.post('HeapProfiler.stopSampling') as unknown as { profile: { head: ProfileNode } };
const bySite = new Map<string, number>();
const walk = (n: ProfileNode, stack: string[]): void => {
  const s = [...stack, `${n.callFrame.functionName || '(anonymous)'}@${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.columnNumber}`];
  if (n.selfSize > 0) {
    const key = s.slice(-4).reverse().join(' < ');
    bySite.set(key, (bySite.get(key) ?? 0) + n.selfSize);
  }
  for (const c of n.children) walk(c, s);
};
walk(profile.head, []);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${(bytes / (f.count * measured)).toFixed(2).padStart(8)} B/frame  ${site}`);
