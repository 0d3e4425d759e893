import { describe, expect, it } from 'vitest';
import { arp, T0, TEST_INVENTORY } from '../../test/helpers/arp.js';
import { defaultConfig } from '../config/schema.js';
import { parseInventory } from '../inventory/load.js';
import { DetectionPipeline } from './detection.js';

describe('DetectionPipeline recordLimit', () => {
  it('records the first incidents opened up to the limit and counts the rest; the sinks get every one', () => {
    const inv = parseInventory('test.yaml', TEST_INVENTORY);
    const cfg = { ...defaultConfig().detector, thresholds: { ...defaultConfig().detector.thresholds, excessive_arp: 1 }, flood_senders: 1000 };
    let opened = 0;
    const sink = { name: 'count', accept: (c: { kind: string }) => { if (c.kind === 'opened') opened++; }, close: async () => {} };
    const d = new DetectionPipeline(inv, cfg, [sink], { recordAll: true, recordLimit: 3 });
    for (let i = 0; i < 8; i++) d.onArp(arp({ t: i, from: `203.0.113.${100 + i}`, mac: `02:00:00:00:00:${(16 + i).toString(16)}`, target: '203.0.113.254' }));
    expect(opened).toBe(8);
    expect(d.incidents!.map((x) => x.openedAt)).toEqual([T0, T0 + 1e6, T0 + 2e6]);
    expect(d.notRecorded).toBe(5);
  });
});
