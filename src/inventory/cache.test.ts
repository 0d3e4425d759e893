import { createHash as cryptoHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_INVENTORY } from '../../test/helpers/arp.js';
import { parseIp } from '../decode/addr.js';
import { CACHE_FORMAT, decodeCache, encodeCache, fileSha256, loadInventoryCached } from './cache.js';
import { compiledBuffers, compileInventory } from './compiled.js';
import { diffInventories, isEmptyDiff } from './diff.js';
import { loadInventory, parseInventory } from './load.js';

let dir: string;
let inv: string;
let cache: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invload-cache-'));
  inv = path.join(dir, 'inventory.yaml');
  cache = path.join(dir, 'inventory.cache');
  fs.writeFileSync(inv, TEST_INVENTORY);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** a first load (no cache) that writes it */
async function prime(): Promise<void> {
  const first = loadInventoryCached(inv, cache);
  expect(first.fromCache).toBe(false);
  await first.save!();
}

describe('the compiled inventory cache', () => {
  it('a second load of the same file comes from the cache, with the same index as a full load', async () => {
    await prime();
    const second = loadInventoryCached(inv, cache);
    expect(second.fromCache).toBe(true);
    expect(second.save).toBeNull();
    const full = loadInventory(inv);
    expect(isEmptyDiff(diffInventories(full, second.inventory))).toBe(true);
    expect(compileInventory(second.inventory)).toEqual(compileInventory(full));
    expect(second.inventory.failover(parseIp('198.51.100.8')!)?.server.id).toBe(full.failover(parseIp('198.51.100.8')!)?.server.id);
  });

  it('a cache\'s columns are the index\'s, views of bytes of their own (not of Node\'s Buffer pool: a reload transfers them)', async () => {
    await prime();
    const c = compileInventory(loadInventoryCached(inv, cache).inventory);
    // the servers' and failovers' (the routers' and customers' are made again from their few objects)
    const columns = [c.servers.customer, c.servers.ip, c.servers.mac, c.servers.gateway, c.servers.vlan, c.failovers.ip, c.failovers.server, c.failovers.vmac, c.failovers.block, c.failovers.muted];
    expect(new Set(columns.map((a) => a.buffer)).size).toBe(1);
    expect(c.servers.ip.buffer.byteLength).toBe(fs.statSync(cache).size);
    expect(compiledBuffers(c)).toContain(c.servers.ip.buffer);
  });

  it('a changed file is read again (not the cache), and the cache rewritten for it', async () => {
    await prime();
    fs.writeFileSync(inv, TEST_INVENTORY.replace('{ ip: 198.51.100.9, server: srv-b }', '{ ip: 198.51.100.9, server: srv-b, muted: true }'));
    const changed = loadInventoryCached(inv, cache);
    expect(changed.fromCache).toBe(false);
    expect(changed.inventory.failover(parseIp('198.51.100.9')!)?.muted).toBe(true);
    await changed.save!();
    const again = loadInventoryCached(inv, cache);
    expect(again.fromCache).toBe(true);
    expect(again.inventory.failover(parseIp('198.51.100.9')!)?.muted).toBe(true);
  });

  it('a changed file with errors still fails with its file and line, whatever the cache holds', async () => {
    await prime();
    fs.writeFileSync(inv, TEST_INVENTORY.replace('customer: c-2, ip', 'customer: c-9, ip'));
    expect(() => loadInventoryCached(inv, cache)).toThrow(/inventory\.yaml:9: servers\[1\]\.customer: no customer "c-9"/);
  });

  it.each([
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 9)],
    ['cut in its header', (b: Buffer) => b.subarray(0, 60)],
    ['one byte of a column flipped', (b: Buffer) => { const c = Buffer.from(b); c[c.length - 20] ^= 1; return c; }],
    ['empty', () => Buffer.alloc(0)],
    ['not a cache at all', () => Buffer.from('servers: []\n')],
  ])('a cache %s is ignored (the file is read) and rewritten', async (_what, spoil) => {
    await prime();
    fs.writeFileSync(cache, spoil(fs.readFileSync(cache)));
    const r = loadInventoryCached(inv, cache);
    expect(r.fromCache).toBe(false);
    expect(r.inventory.servers.size).toBe(parseInventory('x', TEST_INVENTORY).servers.size);
    await r.save!();
    expect(loadInventoryCached(inv, cache).fromCache).toBe(true);
  });

  it('a cache of another arpwarden version or format is ignored, even with a valid checksum', async () => {
    await prime();
    const hash = fileSha256(inv);
    const good = fs.readFileSync(cache);
    expect(decodeCache(good, hash)).not.toBeNull();
    for (const [from, to] of [['"version":"', '"version":"9.'], [`"format":${CACHE_FORMAT}`, `"format":${CACHE_FORMAT + 1}`]]) {
      const forged = reencode(good, from, to);
      expect(decodeCache(forged, hash)).toBeNull();
      fs.writeFileSync(cache, forged);
      expect(loadInventoryCached(inv, cache).fromCache).toBe(false);
    }
  });

  it('a cache whose references point outside their tables is ignored, even with a valid checksum', () => {
    const c = compileInventory(parseInventory('x', TEST_INVENTORY));
    c.failovers.server[0] = c.servers.ip.length;
    expect(decodeCache(encodeCache(c, fileSha256(inv)), fileSha256(inv))).toBeNull();
  });

  it('a missing or unreadable cache is no error', () => {
    expect(loadInventoryCached(inv, path.join(dir, 'none', 'inventory.cache')).fromCache).toBe(false);
    fs.mkdirSync(cache);
    expect(loadInventoryCached(inv, cache).fromCache).toBe(false);
  });

  it('an unreadable inventory says why in one line, cache or not', async () => {
    await prime();
    fs.rmSync(inv);
    expect(() => loadInventoryCached(inv, cache)).toThrow(/inventory\.yaml: no such file/);
  });
});

/** The cache with a text of its header replaced, its checksum made again (what a cache of another build looks like). */
function reencode(buf: Buffer, from: string, to: string): Buffer {
  const len = buf.readUInt32LE(40);
  const header = buf.toString('utf8', 44, 44 + len);
  expect(header).toContain(from);
  const json = Buffer.from(header.replace(from, to), 'utf8');
  const pad = (n: number): number => (n + 7) & ~7;
  const rest = buf.subarray(pad(44 + len));
  const out = Buffer.alloc(pad(44 + json.length) + rest.length);
  buf.copy(out, 0, 0, 40);
  out.writeUInt32LE(json.length, 40);
  json.copy(out, 44);
  rest.copy(out, pad(44 + json.length));
  out.set(cryptoHash('sha256').update(out.subarray(40)).digest(), 8);
  return out;
}
