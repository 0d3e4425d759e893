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
