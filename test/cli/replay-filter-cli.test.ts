/**
 * `replay --filter BPF`: the frames a tcpdump -r FILE EXPRESSION would print are the ones replayed, so a
 * capture replays with the filter its live daemon ran with; a filter libpcap refuses is one line, exit 2.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const capture = (f: string): string => path.join(ROOT, 'fixtures/captures', f);
const tcpdumpCount = (file: string, filter: string): number =>
  execFileSync('tcpdump', ['-nn', '-r', file, filter], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n').filter((l) => l !== '').length;

describe('arpwarden replay --filter', () => {
  it('replays the frames tcpdump prints for the same expression, and says so', async () => {
    const file = capture('arp-qinq.pcap');
    const r = await runCli(['replay', file, '--filter', 'vlan 1000', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { frames: number; filter: string; vlans: { vlan: number | null }[] };
    expect(doc.frames).toBe(tcpdumpCount(file, 'vlan 1000'));
    expect(doc.frames).toBeLessThan(45);
    expect(doc.filter).toBe('vlan 1000');
    const text = await runCli(['replay', file, '--filter', 'vlan 1000']);
    expect(text.stdout).toMatch(/^replay .*arp-qinq\.pcap, frames matching "vlan 1000"\n/);
    expect(text.stdout).toMatch(new RegExp(`\\n  frames +${doc.frames} \\(`));
  });

  it('decides on the filtered frames only, as the live daemon with that filter did', async () => {
    const file = capture('case1-alias-netmask.pcap');
    const all = await runCli(['replay', file, '--inventory', 'fixtures/inventory.yaml']);
    expect(all.stdout).toMatch(/incidents: 1\n/);
    const without = await runCli(['replay', file, '--inventory', 'fixtures/inventory.yaml', '--filter', 'not ether src 0c:c4:7a:11:22:33']);
    expect(without.code).toBe(0);
    expect(without.stdout).toMatch(/incidents: none\n/);
  });

  it.each([
    ['a syntax error', 'fixtures/captures/arp-untagged.pcap', 'vlan and and', 'arpwarden: filter "vlan and and": can\'t parse filter expression: syntax error'],
    ['vlan on a cooked capture', 'fixtures/captures/arp-linux-sll.pcap', 'vlan and arp', 'arpwarden: filter "vlan and arp": no VLAN support for Linux cooked v1'],
    ['a NUL', 'fixtures/captures/arp-untagged.pcap', 'arp\0', 'arpwarden: filter: contains a NUL character'],
  ])('%s: one line naming the filter, exit 2', async (_what, file, filter, line) => {
    // a NUL cannot be an argv byte: spawn refuses it, so that case runs through the module
    if (filter.includes('\0')) {
      const { FileSource } = await import('../../src/capture/file-source.js');
      expect(() => new FileSource(path.join(ROOT, file), { filter })).toThrow(line.replace('arpwarden: ', ''));
      return;
    }
    const r = await runCli(['replay', file, '--filter', filter]);
    expect([r.code, r.stdout, r.stderr.trim()]).toEqual([2, '', line]);
  });
});
