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
