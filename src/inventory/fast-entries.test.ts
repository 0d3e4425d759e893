import { describe, expect, it } from 'vitest';
import { fastFailover, fastServer } from './fast-entries.js';
import { failoverSchema, serverSchema } from './schema.js';

// a seeded generator of entries near the valid shape: every key, value type and edge reached
let seed = 777;
const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
const one = <T>(xs: readonly T[]): T => xs[rnd(xs.length)];
const values: readonly unknown[] = ['srv-1', 'c-1', '198.51.100.7', '0c:c4:7a:00:00:01', 'bad id', '', 'a/b', 12, 0, -1, 4095, 4096, 1.5, true, false, null, 'true'];

/** a valid value of each key */
const valid: Record<string, unknown> = { id: 'srv-1', customer: 'c-1', server: 'srv.1_a', ip: '198.51.100.7', gateway: '198.51.100.1', mac: '0c:c4:7a:00:00:01', virtual_mac: '02:00:00:00:00:01', vlan: 100, muted: true };

function entry(keys: readonly string[]): Record<string, unknown> {
  const e: Record<string, unknown> = {};
  for (const k of keys) if (rnd(8) !== 0) e[k] = rnd(4) === 0 ? one(values) : valid[k];
  if (rnd(10) === 0) e[one(['colour', 'constructor', 'vlan_id'])] = 'x';
  return e;
}

describe('the entries validated without zod are exactly what zod gives', () => {
  it.each([
    ['servers', fastServer, serverSchema, ['id', 'customer', 'ip', 'mac', 'gateway', 'vlan']],
    ['failover IPs', fastFailover, failoverSchema, ['ip', 'server', 'virtual_mac', 'muted']],
  ] as const)('%s: 30,000 entries near the shape', (_what, fast, schema, keys) => {
    let taken = 0;
    for (let i = 0; i < 30_000; i++) {
      const e = entry(keys);
      const z = schema.safeParse(structuredClone(e));
      const f = fast(structuredClone(e));
      // accepted here: zod accepts it and gives the same; refused here: zod decides (it may accept)
      if (f !== null) {
        taken++;
        expect([e, z.success]).toEqual([e, true]);
        expect(f).toStrictEqual(z.data);
      }
    }
    expect(taken).toBeGreaterThan(100);
  });

  it('takes the usual lines', () => {
    expect(fastServer({ id: 'srv-1', customer: 'c-1', ip: '192.0.2.1', mac: '0c:c4:7a:00:00:01', gateway: '192.0.2.254' })).not.toBeNull();
    expect(fastFailover({ ip: '198.51.100.7', server: 'srv-1' })).toEqual({ ip: '198.51.100.7', server: 'srv-1', muted: false });
  });
});
