import { describe, expect, it } from 'vitest';
import { parseIp } from '../common/addr.js';

const ip32 = (s: string): number => parseIp(s) ?? Number.NaN;
import { RoutedTargets } from './routed-targets.js';
import type { InventoryIndex } from '../inventory/inventory-index.js';

/** An index with only what RoutedTargets reads: the failover IPs (their column: no FailoverIp made) and the blocks. */
function index(failovers: string[], blocks: { network: string; broadcast: string }[]): InventoryIndex {
  return {
    failovers: { ips: () => Uint32Array.from(failovers.map(ip32)) },
    blocks: { values: () => blocks.map((b) => ({ range: { network: ip32(b.network), broadcast: ip32(b.broadcast) } })) },
  } as unknown as InventoryIndex;
}

describe('RoutedTargets', () => {
  it('holds the /24 of each failover IP and every /24 of each block, and no other', () => {
    const t = new RoutedTargets(index(['203.0.113.7', '255.255.255.1'], [{ network: '198.51.100.0', broadcast: '198.51.101.255' }, { network: '192.0.2.64', broadcast: '192.0.2.127' }]));
    for (const ip of ['203.0.113.0', '203.0.113.255', '255.255.255.254', '198.51.100.1', '198.51.101.200', '192.0.2.1']) expect(t.mayHold(ip32(ip)), ip).toBe(true);
    for (const ip of ['203.0.112.7', '203.0.114.7', '198.51.102.0', '198.51.99.255', '192.0.3.1', '0.0.0.0']) expect(t.mayHold(ip32(ip)), ip).toBe(false);
  });

  it('takes an IP as int32 as well as uint32', () => {
    const t = new RoutedTargets(index(['203.0.113.7'], []));
    expect(t.mayHold(ip32('203.0.113.9') | 0)).toBe(true);
    expect(t.mayHold(ip32('203.0.114.9') | 0)).toBe(false);
  });

  it('forgets what a rebuild no longer holds', () => {
    const t = new RoutedTargets(index(['203.0.113.7'], []));
    t.rebuild(index(['192.0.2.7'], []));
    expect(t.mayHold(ip32('203.0.113.7'))).toBe(false);
    expect(t.mayHold(ip32('192.0.2.7'))).toBe(true);
  });
});
