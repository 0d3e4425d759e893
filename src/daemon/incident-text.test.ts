import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { arpRequest } from '../../fixtures/lib/frames.js';
import { T0, TEST_INVENTORY } from '../../test/helpers/arp.js';
import { defaultConfig } from '../config/schema.js';
import { incidentJson } from '../incidents/incident-json.js';
import { incidentJsonText } from '../incidents/incident-json-text.js';
import type { IncidentChange, IncidentSink } from '../incidents/incident.js';
import { parseInventory } from '../inventory/load.js';
import { DetectionPipeline } from '../pipeline/detection.js';
import { frameHandler } from '../pipeline/pipeline.js';
import { TrafficSummary } from '../pipeline/traffic-summary.js';
import { StreamSink } from '../sinks/stream-sink.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { PageFeed } from '../web/page-feed.js';

const inv = parseInventory('test.yaml', TEST_INVENTORY);
/** case 1 (alias netmask) for 90 s (an update a minute), then an hour of quiet: opened, updated, resolved */
const noise = Array.from({ length: 90 }, (_, i) => ({
  bytes: arpRequest({ sha: '0c:c4:7a:00:00:0a', spa: '198.51.100.7', tpa: `198.51.100.${20 + (i % 3)}` }),
  tsMicros: T0 + i * 1e6,
}));

describe('an incident change\'s JSON, made once for the stream and the page', () => {
  it('the stream\'s lines and the page\'s events are what JSON.stringify of each made before', () => {
    // what each wrote before, computed as the change comes, ahead of the two sinks
    const expected: { line: string; data: string }[] = [];
    const before: IncidentSink = {
      name: 'before',
      accept: (c) => {
        expected.push({
          line: `${JSON.stringify({ event: `incident_${c.kind}`, incident: incidentJson(c.incident) })}\n`,
          data: JSON.stringify({ change: c.kind, incident: incidentJson(c.incident) }),
        });
      },
      close: async () => {},
    };
    const lines: string[] = [];
    const out = new Writable({ write(chunk: Buffer, _e, done) { lines.push(chunk.toString()); done(); } });
    const feed = new PageFeed(new Telemetry(), { history: 100, clientBufferBytes: 1 << 20, talkers: () => [], run: 'r' });
    const data: string[] = [];
    const publishJson = feed.hub.publishJson.bind(feed.hub);
    feed.hub.publishJson = (event, json) => { if (event === 'incident') data.push(json); publishJson(event, json); };
    const detection = new DetectionPipeline(inv, defaultConfig().detector, [before, new StreamSink(out, 'json'), feed.sink]);
    const onFrame = frameHandler(1, new TrafficSummary(), detection.onArp);
    for (const f of noise) onFrame(f.bytes, 0, f.bytes.length, f.bytes.length, f.tsMicros);
    detection.advanceTo(T0 + 3600e6);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(lines).toEqual(expected.map((e) => e.line));
    expect(data).toEqual(expected.map((e) => e.data));
    expect(data.map((d) => (JSON.parse(d) as { change: string }).change)).toEqual(expect.arrayContaining(['opened', 'updated', 'resolved']));
  });

  it('one change: the incident as it stood when first asked; a later change: as it stands then', () => {
    let change: IncidentChange | null = null;
    const keep: IncidentSink = { name: 'keep', accept: (c) => { change ??= c; }, close: async () => {} };
    const detection = new DetectionPipeline(inv, defaultConfig().detector, [keep]);
    const onFrame = frameHandler(1, new TrafficSummary(), detection.onArp);
    for (const f of noise.slice(0, 20)) onFrame(f.bytes, 0, f.bytes.length, f.bytes.length, f.tsMicros);
    const opened = change!;
    const text = incidentJsonText(opened);
    for (const f of noise.slice(20)) onFrame(f.bytes, 0, f.bytes.length, f.bytes.length, f.tsMicros);
    // the incident moved on (last seen later); the opening's text stays the opening's
    expect(JSON.stringify(incidentJson(opened.incident))).not.toBe(text);
    expect(incidentJsonText(opened)).toBe(text);
    expect(incidentJsonText({ kind: 'updated', incident: opened.incident })).toBe(JSON.stringify(incidentJson(opened.incident)));
  });
});
