import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSource } from '../capture/file-source.js';
import { defaultConfig } from '../config/schema.js';
import { loadInventory } from '../inventory/load.js';
import { replayFile } from '../pipeline/replay.js';
import { Telemetry } from '../telemetry/telemetry.js';
import type { MetricPoint } from './metric-point.js';
import { MetricsWriter } from './metrics-writer.js';
import type { PointTransport } from './point-transport.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

class Recorder implements PointTransport {
  readonly name = 'influx';
  readonly target = 'recorder';
  points: MetricPoint[] = [];
  async prepare(): Promise<void> {}
  async write(points: readonly MetricPoint[]): Promise<void> { this.points.push(...points); }
  async close(): Promise<void> {}
}

describe('MetricsWriter on a replay', () => {
  it('writes a snapshot at each interval boundary of packet time and the last state at the last frame', async () => {
    const config = defaultConfig();
    const cfg = { ...config.metrics, interval_seconds: 60, tags: { router: 'r1' } };
    const telemetry = new Telemetry();
    const rec = new Recorder();
    const writer = new MetricsWriter(telemetry, [rec], cfg);
    const source = new FileSource(path.join(ROOT, 'fixtures/captures/case1-alias-netmask.pcap'));
    const run = await replayFile(source, config, loadInventory(path.join(ROOT, 'fixtures/inventory.yaml')), [], telemetry, undefined, writer);
    writer.finish();
    await writer.close(1000);

    const times = [...new Set(rec.points.map((p) => p.timeMicros))].sort((a, b) => a - b);
    const first = run.summary.firstTs;
    const last = run.summary.lastTs;
    const boundaries = times.slice(0, -1);
    expect(boundaries.length).toBe(Math.floor(last / 60e6) - Math.floor(first / 60e6));
    for (const t of boundaries) {
      expect(t % 60e6).toBe(0);
      expect(t).toBeGreaterThan(first);
    }
    expect(times.at(-1)).toBe(last);
    const at = (t: number, m: string, tags: Record<string, string>): number | undefined =>
      rec.points.find((p) => p.timeMicros === t && p.measurement === m && Object.entries(tags).every(([k, v]) => p.tags[k] === v))?.value;
    expect(at(last, 'arp_packets_total', { op: 'request' })).toBe(run.summary.requests);
    expect(at(last, 'arp_packets_total', { op: 'reply' })).toBe(run.summary.replies);
    expect(at(last, 'incidents_total', { case: 'alias-netmask', change: 'opened' })).toBe(1);
    // counters only grow along the timeline
    const requests = times.map((t) => at(t, 'arp_packets_total', { op: 'request' })!);
    expect([...requests].sort((a, b) => a - b)).toEqual(requests);
    expect(requests[0]).toBeLessThan(run.summary.requests);
    expect(rec.points.every((p) => p.tags.router === 'r1')).toBe(true);
    expect(writer.pumps[0].written).toBe(rec.points.length);
  });
});
