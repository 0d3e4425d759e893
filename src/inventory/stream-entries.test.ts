import { describe, expect, it } from 'vitest';
import { parseIp, parseMac } from '../decode/addr.js';
import { fastFailover, fastServer } from './fast-entries.js';
import { lineEntry, NOT_SIMPLE } from './line-yaml.js';
import { failoverSchema, serverSchema } from './schema.js';
import { failoverFields, readFailoverLine, readServerLine, serverFields } from './stream-entries.js';

// a seeded generator of lines near the shape: every key, quoting, spacing and value kind reached
let seed = 4242;
const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
const one = <T>(xs: readonly T[]): T => xs[rnd(xs.length)];
const odd = ['srv-1', '"srv-1"', "'srv-1'", 'srv 1', 'true', 'Null', 'nULL', 'no', '1srv', '"a:b"', '""', '12', '0', '4095', '4096', '012', '-1', '198.51.100.7',
  '198.51.100.07', '"198.51.100.7"', '0c:c4:7a:00:00:01', '"0c:c4:7a:00:00:01"', '0c-c4-7a-00-00-01', 'ac-c4-7a-00-00-01', '"0cc47a000001"', '0cc47a000001', '123456789012',
  '"0c:c4:7a:00:00:0g"', 'false', 'True', '"é"', 'a#b', '[1]', '{}', '', ' ', 'x,'];
const valid: Record<string, readonly string[]> = {
  id: ['srv-1', 'srv.1_a', '"srv-2"', "'S-3'"], customer: ['c-1', '"c-2"'], server: ['srv-1', "'srv-9'"], ip: ['198.51.100.7', '0.0.0.0', '255.255.255.255'],
  gateway: ['198.51.100.1'], mac: ['"0c:c4:7a:00:00:01"', '0C-C4-7A-00-00-0B', "'0c-c4-7a-00-00-0b'", '"0cc47a00000b"'], virtual_mac: ['"02:00:00:00:00:01"', '02-00-00-00-00-01'],
  vlan: ['0', '100', '4095'], muted: ['true', 'false'],
};

function line(keys: readonly string[]): string {
  const pairs: string[] = [];
  for (const k of keys) if (rnd(10) !== 0) pairs.push(`${k}:${one([' ', ' ', '  '])}${rnd(6) === 0 ? one(odd) : one(valid[k])}`);
  if (rnd(12) === 0) pairs.push(`${one(['colour', 'id', 'vlan_id', 'ip'])}: x`);
  for (let i = pairs.length - 1; i > 0; i--) { const j = rnd(i + 1); [pairs[i], pairs[j]] = [pairs[j], pairs[i]]; }
  const sp = (): string => one([' ', ' ', '', '  ']);
  return `{${sp()}${pairs.join(`${one([',', ','])}${sp()}`)}${sp()}${one(['', '', ','])}}${one(['', '', '  ', ' # c', '#'])}`;
}

/** what line-yaml.ts and the schema make of the line, as fast-load.ts takes it */
function usual(body: string, fast: (e: Record<string, unknown>) => unknown, schema: typeof serverSchema | typeof failoverSchema): Record<string, unknown> | null {
  const v = lineEntry(body);
  if (v === NOT_SIMPLE || v === null || typeof v !== 'object') return null;
  const f = fast(structuredClone(v) as Record<string, unknown>);
  if (f !== null) return f as Record<string, unknown>;
  const z = schema.safeParse(v);
  return z.success ? (z.data as Record<string, unknown>) : null;
}

describe('server and failover lines read from their bytes', () => {
  it('servers: what is taken is what line-yaml.ts and the schema give, 40,000 lines near the shape', () => {
    const out = serverFields();
    let taken = 0;
    for (let i = 0; i < 40_000; i++) {
      const body = line(['id', 'customer', 'ip', 'mac', 'gateway', 'vlan']);
      const b = Buffer.from(`  - ${body}`, 'utf8');
      if (!readServerLine(b, 4, b.length, out)) continue;
      taken++;
      const e = usual(body, fastServer, serverSchema);
      expect(e, body).not.toBeNull();
      const s = e as { id: string; customer: string; ip: string; mac: string; gateway: string; vlan?: number };
      expect([b.toString('latin1', out.idFrom, out.idTo), b.toString('latin1', out.customerFrom, out.customerTo), out.ip, out.mac, out.gateway, out.vlan], body)
        .toEqual([s.id, s.customer, parseIp(s.ip), parseMac(s.mac), parseIp(s.gateway), s.vlan ?? -1]);
    }
    expect(taken).toBeGreaterThan(1000);
  });

  it('failover IPs: the same, 40,000 lines', () => {
    const out = failoverFields();
    let taken = 0;
    for (let i = 0; i < 40_000; i++) {
      const body = line(['ip', 'server', 'virtual_mac', 'muted']);
      const b = Buffer.from(`  - ${body}`, 'utf8');
      if (!readFailoverLine(b, 4, b.length, out)) continue;
      taken++;
      const e = usual(body, fastFailover, failoverSchema);
      expect(e, body).not.toBeNull();
      const f = e as { ip: string; server: string; virtual_mac?: string; muted: boolean };
      expect([out.ip, b.toString('latin1', out.serverFrom, out.serverTo), out.vmac, out.muted], body)
        .toEqual([parseIp(f.ip), f.server, f.virtual_mac === undefined ? -1 : parseMac(f.virtual_mac), f.muted]);
    }
    expect(taken).toBeGreaterThan(1000);
  });

  it('takes the usual lines, leaves the rest to line-yaml.ts', () => {
    const b = Buffer.from('  - { id: srv-000001, customer: c-0001, ip: 100.64.0.2, mac: "0c:c4:7a:00:00:01", gateway: 100.64.0.254, vlan: 100 }');
    expect(readServerLine(b, 4, b.length, serverFields())).toBe(true);
    for (const l of ['{ ip: 1.2.3.4, server: s }', '{ ip: 1.2.3.4, server: s, virtual_mac: "02:00:00:00:00:01", muted: true }  ']) {
      expect(readFailoverLine(Buffer.from(l), 0, l.length, failoverFields()), l).toBe(true);
    }
    for (const l of ['{ ip: 1.2.3.4 }', '{ ip: 1.2.3.4, server: s, }', '{ ip: 1.2.3.4, server: s } # c', '{ ip: "1.2.3.4", server: s }', '{ ip: 1.2.3.4, server: true }', '{ ip: 1.2.3.4, server: s, server: t }']) {
      expect(readFailoverLine(Buffer.from(l), 0, l.length, failoverFields()), l).toBe(false);
    }
  });
});
