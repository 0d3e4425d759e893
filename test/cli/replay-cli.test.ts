import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSource } from '../../src/capture/file-source.js';
import { replayJson } from '../../src/cli/summary-output.js';
import { replayFile } from '../../src/pipeline/replay.js';
import { ROOT, runCli } from './run-cli.js';
import { fileTempDir } from '../helpers/temp-dir.js';

interface Entry { file: string; linktype: number }
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures/manifest.json'), 'utf8')) as Entry[];
const capture = (f: string): string => path.join(ROOT, 'fixtures/captures', f);

function tcpdumpCount(file: string, filter?: string): number {
  const args = ['-nn', '-r', file];
  if (filter) args.push(filter);
  const out = execFileSync('tcpdump', args, { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 }).toString();
  return out.split('\n').filter((l) => l.length > 0).length;
}

describe('replay counts agree with tcpdump on every fixture', () => {
  it.each(manifest)('$file', async ({ file, linktype }) => {
    const run = await replayFile(new FileSource(capture(file)), null, null);
    const doc = replayJson(file, run) as { frames: number; arp: { untagged: number; single_tagged: number; double_tagged: number } };
    expect(doc.frames).toBe(tcpdumpCount(capture(file)));
    if (linktype === 1) {
      expect(doc.arp.untagged).toBe(tcpdumpCount(capture(file), 'arp'));
      expect(doc.arp.single_tagged).toBe(tcpdumpCount(capture(file), 'vlan and arp'));
      expect(doc.arp.double_tagged).toBe(tcpdumpCount(capture(file), 'vlan and vlan and arp'));
    } else {
      // cooked captures: libpcap refuses `vlan`, and `arp` counts every ARP frame
      expect(doc.arp.untagged + doc.arp.single_tagged + doc.arp.double_tagged).toBe(tcpdumpCount(capture(file), 'arp'));
    }
  });
});

describe('arpwarden replay, as a user runs it', () => {
  it('prints the summary and the incidents of a case capture', async () => {
    const r = await runCli(['replay', capture('case1-alias-netmask.pcap'), '--inventory', 'fixtures/inventory.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/frames\s+850 \(ARP 850: untagged 0, 802\.1Q 850, QinQ 0; not ARP 0\)/);
    expect(r.stdout).toMatch(/incidents: 1\n.*\n\s+alias-netmask\s+198\.51\.100\.7\s+c-77\s+srv-1042/);
    expect(r.stderr).toBe('');
  });

  it('--format json prints one JSON document with the incidents', async () => {
    const r = await runCli(['replay', capture('case2-vmac-missing.pcap'), '--inventory', 'fixtures/inventory.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { frames: number; incidents: { case: string; ip: string; opened_at: string; samples: string[] }[] };
    expect(doc.frames).toBe(960);
    expect(doc.incidents.map((i) => [i.case, i.ip])).toEqual([['vmac-missing', '198.51.100.21']]);
    expect(doc.incidents[0].opened_at).toMatch(/^2026-11-02T09:01:\d\d\.\d{6}Z$/);
    expect(doc.incidents[0].samples[0]).toMatch(/^2026-11-02 09:01:\d\d\.\d{6} 52:54:00:/);
  });

  const tmp = fileTempDir('aw-cli-');
  fs.writeFileSync(path.join(tmp, 'notes.txt'), 'not a capture\n');
  fs.writeFileSync(path.join(tmp, 'bad.yaml'), 'servers:\n  - { id: s1, customer: nobody, ip: 203.0.113.9, mac: "0c:c4:7a:00:00:09", gateway: 203.0.113.254 }\n');
  it.each([
    ['a missing file', ['replay', path.join(tmp, 'nope.pcap')], /^arpwarden: .*nope\.pcap: no such file$/],
    ['a file that is not a capture', ['replay', path.join(tmp, 'notes.txt')], /^arpwarden: .*notes\.txt: not a pcap or pcapng capture \(.+\)$/],
    ['a directory', ['replay', tmp], /^arpwarden: .*: not a regular file or a pipe$/],
    ['a bad inventory', ['replay', capture('arp-untagged.pcap'), '--inventory', path.join(tmp, 'bad.yaml')], /^arpwarden: .*bad\.yaml:2: servers\[0\]\.customer: no customer "nobody" in customers \(and 1 more: arpwarden inventory check .*bad\.yaml lists them\)$/],
    ['a bad --speed', ['replay', capture('arp-untagged.pcap'), '--speed', 'warp'], /^arpwarden: --speed warp: expected max, realtime or a positive factor/],
    ['a bad IP to explain', ['explain', capture('arp-untagged.pcap'), '198.51.100.300', '--inventory', 'fixtures/inventory.yaml'], /^arpwarden: 198\.51\.100\.300: not an IPv4 address$/],
  ])('%s ends with one line naming it, exit status 2', async (_what, args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('inventory check: ok with a summary, or the file, line and reason', async () => {
    const ok = await runCli(['inventory', 'check', 'fixtures/inventory.yaml']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/fixtures\/inventory\.yaml: ok: 6 customers, 10 servers, 15 failover IPs \(6 with virtual MAC\)/);
    const bad = await runCli(['inventory', 'check', path.join(tmp, 'bad.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/bad\.yaml:2: servers\[0\]\.customer: no customer "nobody"/);
    expect(bad.stderr.trim()).toMatch(/bad\.yaml:2: servers\[0\]\.gateway: 203\.0\.113\.254, the gateway of server s1, is no router in routers/);
  });

  it('explain tells why an IP got its case, and why another got none', async () => {
    const hit = await runCli(['explain', capture('case3-vm-nat-gateway.pcap'), '198.51.100.31', '--inventory', 'fixtures/inventory.yaml', '--lines', '3']);
    expect(hit.code).toBe(0);
    expect(hit.stdout).toMatch(/product: failover IP, no virtual MAC/);
    expect(hit.stdout).toMatch(/mac_mismatch\s+max\s+\d+ per window, threshold\s+10: crossed at 2026-11-02 09:01/);
    expect(hit.stdout).toMatch(/verdict: vm-nat-gateway \(customer c-31\)/);
    const none = await runCli(['explain', capture('case3-vm-nat-gateway.pcap'), '198.51.100.9', '--inventory', 'fixtures/inventory.yaml']);
    expect(none.stdout).toMatch(/verdict: no incident: no rule reached its threshold/);
  });
});
