/**
 * The page's server fed from fixture captures, no capture and no namespace: frames of several fixtures (their
 * cases from fixtures/inventory.yaml, plus tagged background looped over the window) moved onto the last 15
 * minutes and run through detection, the page's feed beating once a second of packet time so the chart has its
 * history. The screenshot (scripts/screenshot-page.ts) and the page's own browser test use it.
 */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { FileSource } from '../../src/capture/file-source.js';
import type { FrameHandler, FrameSource } from '../../src/capture/frame-source.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { IncidentBook } from '../../src/incidents/incident-book.js';
import { loadInventory } from '../../src/inventory/load.js';
import { DetectionPipeline } from '../../src/pipeline/detection.js';
import { runPipeline } from '../../src/pipeline/pipeline.js';
import { registerTraffic } from '../../src/pipeline/telemetry.js';
import { TrafficSummary } from '../../src/pipeline/traffic-summary.js';
import { ipToString } from '../../src/decode/addr.js';
import { Telemetry } from '../../src/telemetry/telemetry.js';
import { buildApp } from '../../src/web/app.js';
import { bookView } from '../../src/web/incident-view.js';
import { PageFeed } from '../../src/web/page-feed.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');
/** fixture → seconds it is shifted by (so their shared background does not land on the same microseconds) */
const CASES: [string, number][] = [['case1-alias-netmask.pcap', 0], ['case2-vmac-gateway.pcap', 17], ['duplicate-ip.pcap', 41], ['case2-vmac-missing.pcap', 73]];
/** tagged ARP on four VLANs, looped over the window: lines for the chart */
const BACKGROUND = 'arp-vlan-8021q.pcap';
const WINDOW_MICROS = 15 * 60e6;

interface Frame { bytes: Uint8Array; wireLen: number; ts: number }

async function framesOf(file: string): Promise<Frame[]> {
  const out: Frame[] = [];
  const handler: FrameHandler = (frame, offset, capLen, wireLen, ts) => { out.push({ bytes: frame.slice(offset, offset + capLen), wireLen, ts }); };
  await new FileSource(path.join(FIXTURES, 'captures', file)).run(handler);
  return out;
}

/** The frames in time order, with a beat before each second of packet time they cross. */
function mergedSource(frames: Frame[], beat: (clockMs: number) => void): FrameSource {
  return {
    linkType: 1,
    run: async (onFrame) => {
      let next = Math.ceil(frames[0].ts / 1e6) * 1e6;
      for (const f of frames) {
        for (; next <= f.ts; next += 1e6) beat(next / 1000);
        onFrame(f.bytes, 0, f.bytes.length, f.wireLen, f.ts);
      }
      return { frames: frames.length };
    },
  };
}

export interface ReplayedPage {
  /** http://127.0.0.1:PORT */
  url: string;
  book: IncidentBook;
  feed: PageFeed;
  frames: number;
  /** the traffic summary's busiest senders, as the page lists them */
  talkers: string[];
  close(): Promise<void>;
}

export async function replayedPage(o: { token?: string } = {}): Promise<ReplayedPage> {
  const end = Math.floor(Date.now() / 1000) * 1e6;
  const start = end - WINDOW_MICROS;
  const frames: Frame[] = [];
  for (const [file, shift] of CASES) {
    const fs = await framesOf(file);
    for (const f of fs) frames.push({ ...f, ts: f.ts - fs[0].ts + start + shift * 1e6 });
  }
  const bg = await framesOf(BACKGROUND);
  const loop = bg[bg.length - 1].ts - bg[0].ts + 3e6;
  for (let t = start; t < end - loop; t += loop) for (const f of bg) frames.push({ ...f, ts: f.ts - bg[0].ts + t });
  frames.sort((a, b) => a.ts - b.ts);

  const telemetry = new Telemetry();
  let clock = 0;
  // as a capture daemon with a page counts them: the last one to two minutes
  const summary = new TrafficSummary(undefined, 60e6);
  // what the last heartbeat sent the page (recent counts move after it)
  let shown: ReturnType<TrafficSummary['recentTalkers']> = [];
  const feed = new PageFeed(telemetry, { history: 2000, clientBufferBytes: 1 << 20, talkers: () => (shown = summary.recentTalkers(10)), talkersSince: () => summary.recent?.sinceMicros ?? -1, clockMs: () => clock });
  const detection = new DetectionPipeline(loadInventory(path.join(FIXTURES, 'inventory.yaml')), defaultConfig().detector, [feed.sink], { telemetry });
  registerTraffic(telemetry, () => summary);
  telemetry.clock(() => detection.detector.time);
  await runPipeline(mergedSource(frames, (ms) => { clock = ms; feed.beat(); }), detection.onArp, undefined, summary);

  const app = buildApp({ incidents: bookView(detection.book), telemetry, events: feed.hub, token: o.token });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, book: detection.book, feed, frames: frames.length,
    talkers: shown.map((t) => ipToString(t.ip)), close: () => app.close() };
}
