/**
 * A replay that would open 130,000 incidents (one per IP of a noisy range, floods out of the way) stays under
 * 300 MB RSS: the book opens detector.max_open_incidents (default) and counts the rest in one overflow incident.
 * The capture (1.3 M frames, 99 MB) is generated into a temp dir, not committed. About 15 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNoisyRange } from '../../fixtures/lib/noisy-range.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { IncidentJson } from '../../src/incidents/incident-json.js';
import { runCliMeasured } from '../helpers/cli-rss.js';

const SENDERS = 130_000;
const MAX_RSS = 300 * 1024 * 1024;
const INVENTORY = `routers:
  - { ip: 203.0.113.254, mac: "00:00:5e:00:01:01" }
customers:
  - { id: c-1, email: ops@example.net, name: Example, locale: en }
servers:
  - { id: srv-1, customer: c-1, ip: 203.0.113.10, mac: "0c:c4:7a:11:22:33", gateway: 203.0.113.254, vlan: 100 }
`;
// every request is evidence, and no flood gathers the noise of the VLAN: each sender would be an incident of its own
const CONFIG = 'detector:\n  thresholds: { excessive_arp: 1 }\n  flood_senders: 100000000\n';

describe('replay of 130,000 would-be incidents', () => {
  let dir = '';
  let capture = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-hdecode-cap-'));
    capture = path.join(dir, 'noisy-range.pcap');
    writeNoisyRange(capture, { senders: SENDERS, framesPerSender: 10, spanSeconds: 250 });
    fs.writeFileSync(path.join(dir, 'inventory.yaml'), INVENTORY);
    fs.writeFileSync(path.join(dir, 'config.yaml'), CONFIG);
  });
  afterAll(() => {
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens max_open_incidents, reports the rest as one overflow incident, and stays under 300 MB RSS', async () => {
    const cap = defaultConfig().detector.max_open_incidents;
    const r = await runCliMeasured(['replay', capture, '--inventory', path.join(dir, 'inventory.yaml'), '--config', path.join(dir, 'config.yaml'),
      '--format', 'json', '--no-progress']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { frames: number; incidents: IncidentJson[] };
    expect(doc.frames).toBe(SENDERS * 10);
    const byCase = new Map<string, number>();
    for (const i of doc.incidents) byCase.set(i.case, (byCase.get(i.case) ?? 0) + 1);
    expect(Object.fromEntries(byCase)).toEqual({ noise: cap, overflow: 1 });
    const overflow = doc.incidents.find((i) => i.case === 'overflow')!;
    expect(overflow.flood).toMatchObject({ senders: 1000, senders_at_least: true });
    expect(overflow.counts.excessive_arp).toBeGreaterThan((SENDERS - cap) * 5);
    expect(overflow.resolved_at).toBeNull();
    console.log(`peak RSS ${(r.maxRssBytes / 1048576).toFixed(0)} MiB for ${cap} open incidents + the overflow`);
    expect(r.maxRssBytes).toBeLessThan(MAX_RSS);
  }, 120_000);
});
