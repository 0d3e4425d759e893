import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_INVENTORY } from '../../test/helpers/arp.js';
import { compileInventory } from './compiled.js';
import type { InventoryIndex } from './inventory-index.js';
import { loadInventory, parseInventory } from './load.js';
import { streamInventory } from './stream-load.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arpwarden-stream-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;
const write = (text: string): string => {
  const f = path.join(dir, `inv-${files++}.yaml`);
  fs.writeFileSync(f, text);
  return f;
};

/** the index as comparable data: every column and list */
const columns = (inv: InventoryIndex): string =>
  JSON.stringify(compileInventory(inv), (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v));
type Outcome = { index: string } | { error: string };
const outcome = (load: () => InventoryIndex): Outcome => {
  try {
    return { index: columns(load()) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
};

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

const hex = (n: number): string => (n & 255).toString(16).padStart(2, '0');

/** an inventory of every section, its server and failover lines written in the ways people write them */
function inventory(r: () => number, servers: number, failovers: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const quote = (s: string): string => pick([s, s, `"${s}"`, `'${s}'`]);
  const mac = (a: number, b: number): string => {
    const colon = `0c:c4:7a:${hex(a)}:${hex(b >> 8)}:${hex(b)}`;
    return pick([`"${colon}"`, `"${colon.toUpperCase()}"`, colon.replaceAll(':', '-'), `'${colon.replaceAll(':', '-')}'`, `"${colon.replaceAll(':', '')}"`]);
  };
  const sp = (): string => pick([' ', ' ', ' ', '  ']);
  const entry = (pairs: string[]): string => {
    for (let i = pairs.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
    }
    return `  - {${sp()}${pairs.join(`,${sp()}`)}${sp()}}${pick(['', '', '', '  ', ' # a comment'])}`;
  };
  const lines = ['# generated', 'routers:'];
  for (let i = 0; i < 4; i++) lines.push(`  - { ip: 10.0.${i}.254, mac: "00:00:5e:00:01:0${i}" }`);
  lines.push('customers:');
  for (let i = 0; i < 6; i++) lines.push(`  - { id: c-${i}, email: ops${i}@example.net${i % 2 === 0 ? `, name: Customer ${i}, locale: fr` : ''} }`);
  lines.push('', 'servers:');
  for (let i = 0; i < servers; i++) {
    const pairs = [`id: ${quote(`srv-${i}`)}`, `customer: ${quote(`c-${i % 6}`)}`, `ip: 10.1.${i >> 8}.${i & 255}`, `mac: ${mac(1, i)}`, `gateway: 10.0.${i % 4}.254`];
    if (r() < 0.5) pairs.push(`vlan: ${Math.floor(r() * 4096)}`);
    lines.push(entry(pairs));
    if (r() < 0.02) lines.push(pick(['', '  # servers of the next rack', '    ']));
  }
  lines.push('failover_ips:');
  for (let i = 0; i < failovers; i++) {
    const pairs = [`ip: 10.2.${i >> 8}.${i & 255}`, `server: ${quote(`srv-${Math.floor(r() * servers)}`)}`];
    if (r() < 0.3) pairs.push(`virtual_mac: ${mac(2, i)}`);
    if (r() < 0.2) pairs.push(`muted: ${pick(['true', 'false'])}`);
    lines.push(entry(pairs));
  }
  lines.push('blocks:', '  - { cidr: 192.0.2.0/28, server: srv-0, split: false }',
    '  - { cidr: 192.0.2.16/28, split: true, members: [ { ip: 192.0.2.18, server: srv-1 }, { ip: 192.0.2.19, server: srv-2, virtual_mac: "02:00:00:00:00:01" } ] }',
    'portable_blocks:', '  - { cidr: 198.51.100.64/29, customer: c-1, vlan: 100 }', 'vrack:', '  - 100.64.0.0/10', '');
  return lines.join('\n');
}

/** one change a person or a broken deploy could make */
function mutate(r: () => number, text: string): string {
  const lines = text.split('\n');
  const at = Math.floor(r() * lines.length);
  const line = lines[at];
  const p = Math.floor(r() * (line.length + 1));
  const chars = ' "\',:{}[]#-._0123456789abcdefxyzABCF\t\ré\u00a0';
  const ch = chars[Math.floor(r() * chars.length)];
  const other = lines[Math.floor(r() * lines.length)];
  const ipOf = (l: string): string | undefined => /ip: ([\d.]+)/.exec(l)?.[1];
  const words = ['null', 'true', '~', '012', '4096', '-1', '10.1.0.1', 'srv-0', 'c-9', '"00:00:5e:00:01:00"', 'ff-ff-ff-ff-ff-ff', '100.64.1.1', '192.0.2.3', '198.51.100.66', '', 'Null', 'x y'];
  switch (Math.floor(r() * 9)) {
    case 0: lines[at] = line.slice(0, p) + ch + line.slice(p + 1); break;
    case 1: lines[at] = line.slice(0, p) + line.slice(p + 1); break;
    case 2: lines[at] = line.slice(0, p) + ch + line.slice(p); break;
    case 3: lines.splice(at, 0, line); break;
    case 4: lines.splice(at, 1); break;
    case 5: {
      const ip = ipOf(line);
      const to = ipOf(other);
      if (ip !== undefined && to !== undefined) lines[at] = line.replace(ip, to);
      break;
    }
    case 6: lines[at] = line.replace(/(: )([^,}]+)/, (_m, a: string) => a + words[Math.floor(r() * words.length)]); break;
    case 7: {
      // a section moved to the end
      const heads = lines.flatMap((l, i) => (/^[a-z_]+:/.test(l) ? [i] : []));
      const from = heads[Math.floor(r() * heads.length)];
      const next = heads.find((h) => h > from) ?? lines.length;
      lines.push(...lines.splice(from, next - from));
      break;
    }
    default: lines[at] = line.replace(/ \}/, `, ${pick(r, ['vlan: 7', 'muted: true', 'virtual_mac: "02:00:00:00:00:09"', 'colour: red', 'id: x'])} }`);
  }
  return lines.join('\n');
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

describe('the cold load straight into the columns', () => {
  it('gives the index the usual path gives, on inventories written in many ways', () => {
    for (const [i, text] of [TEST_INVENTORY, fs.readFileSync('fixtures/inventory.yaml', 'utf8'), inventory(lcg(1), 300, 600), inventory(lcg(2), 50, 1)].entries()) {
      const f = write(text);
      const streamed = streamInventory(f);
      expect(streamed, `inventory ${i}`).not.toBeNull();
      expect(columns(streamed!)).toBe(columns(parseInventory(f, text)));
    }
  });

  it('lines cut by the chunks it reads, and the sha256 of what it read', () => {
    const text = inventory(lcg(3), 12_000, 24_000);
    expect(text.length).toBeGreaterThan(2.5 * 1024 * 1024);
    const f = write(text);
    const read: Buffer[] = [];
    const streamed = streamInventory(f, (b) => read.push(Buffer.from(b)));
    expect(streamed).not.toBeNull();
    expect(columns(streamed!)).toBe(columns(parseInventory(f, text)));
    expect(Buffer.concat(read).toString('utf8')).toBe(text);
  }, 60_000);

  it('takes nothing the usual path refuses or reads otherwise, and loadInventory says what it says', () => {
    const r = lcg(20261202);
    let streamed = 0;
    let refused = 0;
    for (let n = 0; n < 1000; n++) {
      let text = inventory(r, 24, 40);
      const changes = Math.floor(r() * 3);
      for (let k = 0; k < changes; k++) text = mutate(r, text);
      const f = write(text);
      const usual = outcome(() => parseInventory(f, text));
      const s = streamInventory(f);
      if (s !== null) {
        streamed++;
        expect(usual, text).toEqual({ index: columns(s) });
      }
      if ('error' in usual) refused++;
      expect(outcome(() => loadInventory(f)), text).toEqual(usual);
      fs.rmSync(f);
    }
    // both kinds were met
    expect(streamed).toBeGreaterThan(350);
    expect(refused).toBeGreaterThan(350);
  }, 120_000);

  it('leaves the file to the usual path when it cannot be read, is empty, or is not the shape', () => {
    expect(streamInventory(path.join(dir, 'none.yaml'))).toBeNull();
    expect(streamInventory(dir)).toBeNull();
    expect(streamInventory(write(''))).toBeNull();
    expect(streamInventory(write('\ufeff' + TEST_INVENTORY))).toBeNull();
    expect(streamInventory(write(TEST_INVENTORY.replaceAll('\n', '\r\n')))).toBeNull();
    expect(streamInventory(write(TEST_INVENTORY.replace('servers:', 'servers:\n  - { id: srv-z'.padEnd(1 << 21, 'z') + ' }')))).toBeNull();
    expect(() => loadInventory(path.join(dir, 'none.yaml'))).toThrow(/none\.yaml: no such file$/);
  });
});
