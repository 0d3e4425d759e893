/**
 * Times a capture may hold that no Date can: replay and explain count those frames as bad_timestamp and go on
 * (the issue: a pcapng time past the JS Date range threw a RangeError, exit 1, in both).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCapture } from '../../fixtures/lib/pcap-writer.js';
import { arpRequest } from '../../fixtures/lib/frames.js';
import { ROOT, runCli } from './run-cli.js';

const T0 = Date.UTC(2026, 10, 2, 9) * 1000;
const INVENTORY = path.join(ROOT, 'fixtures/inventory.yaml');
const frame = arpRequest({ sha: '0c:c4:7a:11:22:33', spa: '198.51.100.7', tpa: '198.51.100.22', pad: true });

let dir = '';
let file = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-hdecode-times-'));
  const bytes = encodeCapture('pcapng', [0, 1, 2].map((i) => ({ tsMicros: T0 + i * 1000, frame })), { linktype: 1 });
  // the second EPB's time, high word: past 2^53 µs and past what a Date holds
  const epb = 28 + 20 + (12 + 20 + frame.length);
  bytes.writeUInt32LE(0xffffff00, epb + 12);
  file = path.join(dir, 'far-future.pcapng');
  fs.writeFileSync(file, bytes);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a pcapng time past the JS Date range', () => {
  it('replay: exit 0, the frame counted as bad_timestamp, first and last packet from the others', async () => {
    const r = await runCli(['replay', file, '--format', 'json', '--no-progress', '--inventory', INVENTORY]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { frames: number; malformed: Record<string, number>; first_packet: string; last_packet: string };
    expect(doc.frames).toBe(3);
    expect(doc.malformed).toEqual({ bad_timestamp: 1 });
    expect([doc.first_packet, doc.last_packet]).toEqual(['2026-11-02T09:00:00.000000Z', '2026-11-02T09:00:00.002000Z']);
  });

  it('explain: exit 0, the IP\'s other frames on the timeline', async () => {
    const r = await runCli(['explain', file, '198.51.100.7', '--inventory', INVENTORY]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2026-11-02 09:00:00\.002000/);
    expect(r.stdout).not.toMatch(/RangeError/);
  });
});
