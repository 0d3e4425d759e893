import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { arpRequest, TPID_8021Q, vlanTag } from '../../fixtures/lib/frames.js';
import { writeCapture } from '../../fixtures/lib/pcap-writer.js';
import { ROOT, runCli } from './run-cli.js';
import { fileTempDir } from '../helpers/temp-dir.js';

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0) * 1000;
const tags = [vlanTag(TPID_8021Q, 100)];
const tmp = fileTempDir('aw-sigint-');
const file = path.join(tmp, 'alias-then-an-hour.pcap');
// the alias-netmask offender of fixtures/inventory.yaml (198.51.100.7 on srv-1042's NIC, a /24 netmask) asks for
// 20 other failover IPs in the first half second, unanswered; a frame of the router at 4 s lets their 3 s reply
// timeout pass; the next frame is an hour later, so a realtime replay is waiting there when Ctrl-C comes
const TARGETS = ['198.51.100.9', '198.51.100.21', '198.51.100.22', '198.51.100.31'];
const records = [
  ...Array.from({ length: 20 }, (_, i) => ({
    tsMicros: T0 + i * 25_000,
    frame: arpRequest({ sha: '0c:c4:7a:11:22:33', spa: '198.51.100.7', tpa: TARGETS[i % TARGETS.length], tags, pad: true }),
  })),
  { tsMicros: T0 + 4_000_000, frame: arpRequest({ sha: '00:00:5e:00:01:01', spa: '203.0.113.254', tpa: '203.0.113.10', tags, pad: true }) },
  { tsMicros: T0 + 3600_000_000, frame: arpRequest({ sha: '00:00:5e:00:01:01', spa: '203.0.113.254', tpa: '203.0.113.11', tags, pad: true }) },
];
await writeCapture(file, 'pcap', records, { linktype: 1 });

/** Replays the capture at `--speed realtime` and sends SIGINT once it is waiting for the frame an hour later. */
function interrupted(extra: string[]): ReturnType<typeof runCli> {
  return runCli(['replay', file, '--inventory', 'fixtures/inventory.yaml', '--speed', 'realtime', ...extra], {
    // startup (tsx, the inventory) takes about a second, the first 4 s of packet time 4 s more
    onSpawn: (kill) => { setTimeout(() => kill('SIGINT'), 7_500); },
  });
}

describe('Ctrl-C during arpwarden replay', () => {
  it('prints the summary and the incidents so far, marked incomplete, and exits 130', async () => {
    const r = await interrupted([]);
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/^replay .*alias-then-an-hour\.pcap \(interrupted: incomplete\)\n/);
    expect(r.stdout).toMatch(/frames\s+21 \(ARP 21: untagged 0, 802\.1Q 21/);
    expect(r.stdout).toMatch(/incidents: 1\n.*\n\s+alias-netmask\s+198\.51\.100\.7\s+c-77\s+srv-1042\s.*open/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('  interrupted after 21 frames at packet time 2026-11-02 09:00:04.000000 UTC: the counts and incidents are incomplete');
    expect(r.stderr).toBe('');
  }, 30_000);

  it('--format json: "complete": false, where it stopped, and the incidents so far', async () => {
    const r = await interrupted(['--format', 'json']);
    expect(r.code).toBe(130);
    const doc = JSON.parse(r.stdout) as { complete: boolean; frames: number; interrupted: { frames: number; packet_time: string }; incidents: { case: string; ip: string }[] };
    expect(doc.complete).toBe(false);
    expect(doc.interrupted).toMatchObject({ frames: 21, packet_time: '2026-11-02T09:00:04.000000Z' });
    expect(doc.frames).toBe(21);
    expect(doc.incidents.map((i) => [i.case, i.ip])).toEqual([['alias-netmask', '198.51.100.7']]);
  }, 30_000);

  it('a replay that runs to its end is complete and exits 0', async () => {
    const r = await runCli(['replay', file, '--inventory', 'fixtures/inventory.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { complete: boolean; frames: number; interrupted?: unknown };
    expect(doc.complete).toBe(true);
    expect(doc.frames).toBe(22);
    expect(doc.interrupted).toBeUndefined();
  });
});

describe('timestamps that go backwards (fixtures/captures/arp-merged-backwards.pcap)', () => {
  const merged = path.join(ROOT, 'fixtures/captures/arp-merged-backwards.pcap');
  it('one warning line on stderr with the count and the largest step back; the count in the summary', async () => {
    const r = await runCli(['replay', merged]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      `arpwarden: warning: ${merged}: 48 frames older than a frame before them, by up to 36.870 s (captures joined with mergecap -a?); packet time stayed at the latest frame`,
    ]);
    expect(r.stdout).toMatch(/\n {2}out of order 48 frames older than a frame before them, by up to 36\.870 s\n/);
    expect(r.stdout).toMatch(/span\s+2026-11-02 09:00:00\.835856 → 2026-11-02 09:00:37\.705913 UTC/);
  });

  it('--format json: frames_out_of_order and max_step_back_seconds', async () => {
    const r = await runCli(['replay', merged, '--format', 'json']);
    const doc = JSON.parse(r.stdout) as { frames_out_of_order: number; max_step_back_seconds: number };
    expect(doc.frames_out_of_order).toBe(48);
    expect(doc.max_step_back_seconds).toBe(36.870057);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a capture in order: no warning, no line', async () => {
    const r = await runCli(['replay', path.join(ROOT, 'fixtures/captures/arp-untagged.pcap')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/out of order/);
  });
});
