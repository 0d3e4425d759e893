/**
 * `arpwarden capture` on an interface whose link type the decoder does not read (a tun device: Raw IP):
 * one line naming the interface and its link type, exit 2, not libpcap's refusal of the default filter's
 * `vlan` (a filter its user never wrote), nor, with a --filter, a capture counting every frame malformed.
 * Needs root for its network namespace (test/e2e/netns.ts); about 2 s.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNetnsUsable, netnsAvailability, NetnsLab, removeStaleNamespaces, type Netns } from '../e2e/netns.js';
import { ROOT } from './run-cli.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);
const CLI = path.join(ROOT, 'src/cli/main.ts');
const TUN = 'awtun0';

describe.skipIf(availability.skip)('capture on an interface of a link type the decoder does not read', () => {
  const lab = new NetnsLab('ltype');
  let ns: Netns;

  beforeAll(async () => {
    await assertNetnsUsable();
    await removeStaleNamespaces();
    ns = await lab.namespace('cap');
    await ns.ip('tuntap', 'add', TUN, 'mode', 'tun');
    await ns.up(TUN);
  });

  afterAll(async () => {
    await lab.cleanup();
  });

  it.each([[[] as string[]], [['--filter', 'ip']]])('tun (Raw IP), %j: one line naming it, exit 2', async (extra) => {
    const r = await ns.exec([process.execPath, '--import', 'tsx', CLI, 'capture', '-i', TUN, '--seconds', '1', '--log-format', 'pretty', ...extra],
      { cwd: ROOT, allowFailure: true, timeoutMs: 20_000 });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr.trim() }).toEqual({
      code: 2, stdout: '', stderr: `arpwarden: interface ${TUN}: link type RAW (Raw IP): arpwarden reads Ethernet (EN10MB) and Linux cooked (LINUX_SLL, LINUX_SLL2) captures only`,
    });
  });
});
