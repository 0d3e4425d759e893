import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** A mute of a customer or an IP the inventory does not know mutes nobody: with --inventory it is refused before Redis is asked. */
describe('mute --inventory: a typo mutes nobody, so it is refused', () => {
  it('an unknown customer, and an IP no server, failover or block holds: one line each, exit 2', async () => {
    const c = await runCli(['mute', 'customer', 'c-nonexistent', '--inventory', 'fixtures/inventory.yaml']);
    expect(c).toMatchObject({ code: 2, stdout: '' });
    expect(c.stderr).toBe('arpwarden: mute customer c-nonexistent: no such customer in fixtures/inventory.yaml (a typo would mute nobody)\n');
    const ip = await runCli(['mute', 'ip', '192.0.2.254', '--inventory', 'fixtures/inventory.yaml']);
    expect(ip).toMatchObject({ code: 2, stdout: '' });
    expect(ip.stderr).toBe('arpwarden: mute ip 192.0.2.254: no server, failover IP or block of fixtures/inventory.yaml holds it (a typo would mute nobody)\n');
  });
});
