import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

describe('arpwarden explain on a customer\'s own failover IP', () => {
  it('shows routed_ip_target as not counted for a routed IP, not as crossed', async () => {
    const r = await runCli(['explain', path.join(ROOT, 'fixtures/captures/case1-alias-netmask.pcap'), '198.51.100.7', '--inventory', 'fixtures/inventory.yaml', '--lines', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n {2}routed_ip_target +max +106 per window, threshold +10: not counted for a routed IP: its own evidence explains it\n/);
    expect(r.stdout).toMatch(/\n {2}off_link_target +max +104 per window, threshold +10: crossed at 2026-11-02 09:01:09\.556706\n/);
    expect(r.stdout).not.toMatch(/routed_ip_target \d+\/\d+/);
    expect(r.stdout).toMatch(/verdict: alias-netmask \(customer c-77\)/);
  });
});

describe('arpwarden explain lists the frames tcpdump shows for the IP, the router\'s included', () => {
  const tcpdumpLines = (file: string, ip: string): number => execFileSync('tcpdump', ['-nn', '-r', file, `arp host ${ip} or (vlan and arp host ${ip})`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
    .toString().split('\n').filter((l) => l !== '').length;

  it('a server\'s request answered by the router says so (fixtures/captures/case1-alias-netmask.pcap, 203.0.113.10: the router\'s replies are frames the detector skips)', async () => {
    const file = 'fixtures/captures/case1-alias-netmask.pcap';
    const r = await runCli(['explain', file, '203.0.113.10', '--inventory', 'fixtures/inventory.yaml', '--lines', '0']);
    expect(r.stdout).toContain(`ARP from or about 203.0.113.10: ${tcpdumpLines(file, '203.0.113.10')} frames`);
    expect(r.stdout).toMatch(/Request who-has 203\.0\.113\.254 tell 203\.0\.113\.10, length 46\n {4}↳ excessive_arp 1\/120; answered in 0\.6 ms by 00:00:5e:00:01:01\n/);
    expect(r.stdout).toContain('Reply 203.0.113.254 is-at 00:00:5e:00:01:01, length 46');
  });

  it('a portable block\'s gateway taken by a VM shows the router answering for it too (portable-block-unusable.pcap, 198.51.100.65)', async () => {
    const file = 'fixtures/captures/portable-block-unusable.pcap';
    const r = await runCli(['explain', file, '198.51.100.65', '--inventory', 'fixtures/inventory.yaml', '--lines', '0']);
    expect(r.stdout).toContain(`ARP from or about 198.51.100.65: ${tcpdumpLines(file, '198.51.100.65')} frames`);
    expect(r.stdout).toMatch(/00:00:5e:00:01:01 > .*Reply 198\.51\.100\.65 is-at 00:00:5e:00:01:01/);
  });
});

describe('arpwarden explain on an address whose ARP the detector skips', () => {
  it('a vRack host that sent 309 frames: not "the capture holds no ARP", but why none is listed and how to see them', async () => {
    const file = 'fixtures/captures/vrack-ignored.pcap';
    const r = await runCli(['explain', file, '100.64.12.2', '--inventory', 'fixtures/inventory.yaml']);
    expect(r.code).toBe(0);
    const filter = 'arp host 100.64.12.2 or (vlan and (arp host 100.64.12.2 or (vlan and arp host 100.64.12.2)))';
    expect(r.stdout).toContain(`ARP from or about 100.64.12.2: 0 frames (tcpdump -tttt -nn -e, UTC); the detector skips the ARP of a vRack address, so its own frames are not listed (tcpdump -nn -e -r ${file} '${filter}' shows them)\n`);
    // the command it names shows what the detector skipped
    expect(execFileSync('tcpdump', ['-nn', '-e', '-r', file, filter], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n').filter((l) => l !== '')).toHaveLength(309);
    expect(r.stdout).toMatch(/\nverdict: no incident: a vRack address is never an incident\n$/);
    expect(r.stdout).not.toMatch(/holds no ARP/);
  });

  it('the provider\'s router: never an incident, not "no rule reached its threshold"', async () => {
    const r = await runCli(['explain', path.join(ROOT, 'fixtures/captures/case1-alias-netmask.pcap'), '203.0.113.254', '--inventory', 'fixtures/inventory.yaml', '--lines', '1']);
    expect(r.stdout).toMatch(/the detector skips the ARP of a router of the provider, so its own frames are not listed/);
    expect(r.stdout).toMatch(/\nverdict: no incident: a router of the provider is never an incident\n$/);
  });
});
