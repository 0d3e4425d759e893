/**
 * `replay --vlans LIST`: a capture of a span port replayed as the `capture --vlans LIST` daemon of that port saw it
 * (several daemons share one port, docs/operations.md "Scaling out"). fixtures/captures/arp-vlan-8021q.pcap carries
 * untagged ARP and VLANs 100, 200, 300 and 4000: two complementary lists make the whole capture between them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RedisServer } from '../integration/helpers/redis-server.js';
import { ROOT, runCli } from './run-cli.js';

const FILE = path.join(ROOT, 'fixtures/captures/arp-vlan-8021q.pcap');
interface Doc { frames: number; vlans: { vlan: number | null; frames: number }[]; vlans_selected?: { vlans: string; frames_skipped: number } }

async function replay(...args: string[]): Promise<Doc> {
  const r = await runCli(['replay', FILE, '--format', 'json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Doc;
}

describe('arpwarden replay --vlans', () => {
  it('two complementary lists replay every frame between them, each only its VLANs, and say what they passed over', async () => {
    const all = await replay();
    const a = await replay('--vlans', '100-200');
    const b = await replay('--vlans', '300,4000,untagged');
    expect(a.vlans.map((v) => v.vlan)).toEqual([100, 200]);
    expect(b.vlans.map((v) => v.vlan)).toEqual([null, 300, 4000]);
    expect([...a.vlans, ...b.vlans].sort((x, y) => (x.vlan ?? -1) - (y.vlan ?? -1))).toEqual(all.vlans);
    expect(a.vlans_selected).toEqual({ vlans: '100-200', frames_skipped: all.frames - a.frames });
    expect(b.vlans_selected).toEqual({ vlans: '300,4000,untagged', frames_skipped: all.frames - b.frames });
    expect(all.vlans_selected).toBeUndefined();
    const text = await runCli(['replay', FILE, '--vlans', '100-200']);
    expect(text.stdout).toMatch(new RegExp(`^replay .*arp-vlan-8021q\\.pcap, VLANs 100-200 \\(${all.frames - a.frames} frames of others passed over\\)\\n`));
  });

  it.each([
    ['a list that is no VLAN', FILE, '5000', 'arpwarden: --vlans "5000": "5000" is not a VLAN id (0-4095), a range (100-199) or "untagged"'],
    ['a capture with no VLAN tags', path.join(ROOT, 'fixtures/captures/arp-linux-sll.pcap'), '100', 'arpwarden: --vlans: needs an Ethernet capture (LINUX_SLL (Linux cooked v1) carries no VLAN tags)'],
  ])('%s: one line, exit 2', async (_what, file, list, line) => {
    const r = await runCli(['replay', file, '--vlans', list]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
  });

  it('refused with --enqueue (a queue\'s connection open): still one line and exit 2, not a process left hanging on Redis', async () => {
    const redis = await RedisServer.start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arpwarden-vlans-'));
    try {
      const config = path.join(dir, 'arpwarden.yaml');
      fs.writeFileSync(config, `queue:\n  redis_url: ${redis.url}\n`);
      const r = await runCli(['replay', path.join(ROOT, 'fixtures/captures/arp-linux-sll.pcap'), '--vlans', '100', '--inventory', 'fixtures/inventory.yaml', '--enqueue', '--config', config], { timeoutMs: 10_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^arpwarden: --vlans: needs an Ethernet capture/);
    } finally {
      await redis.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
