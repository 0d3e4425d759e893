import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { MAX_INVENTORY_BYTES, readUserFile } from '../common/read-user-file.js';
import { safeWriteFile } from '../common/safe-write.js';
import { ARPWARDEN_VERSION } from '../common/version.js';
import { buildInventory, type CompiledInventory, compileInventory } from './compiled.js';
import type { InventoryIndex } from './inventory-index.js';
import { parseInventory } from './load.js';
import { streamInventory } from './stream-load.js';

/**
 * A compiled cache of the last good inventory (issue 12): the columns of compiled.ts written beside the
 * daemon's state, keyed by the sha256 of the inventory file, the cache's format and arpwarden's version. A
 * start on an unchanged file builds the index from the columns and skips YAML and validation. Anything that does
 * not match, or does not read back exactly (its own sha256 covers every byte after it), is ignored, never trusted.
 *
 * Layout: MAGIC (8 bytes), sha256 of the rest (32), then a u32 (little-endian) header length, the header (JSON),
 * zeros to a multiple of 8, and each typed array's bytes in ARRAYS order, each padded to a multiple of 8.
 */
export const CACHE_FORMAT = 1;
const MAGIC = Buffer.from('AWINVC\x00\x01', 'latin1');
const SUM_AT = MAGIC.length;
const BODY_AT = SUM_AT + 32;
/** more than any cache of an inventory within MAX_INVENTORY_BYTES could be: a bigger file is not ours */
const MAX_CACHE_BYTES = MAX_INVENTORY_BYTES;

type Typed = Uint32Array | Float64Array | Int32Array | Uint8Array;
type ArrayCtor = Uint32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
/** every typed array of a CompiledInventory: its place and its type */
const ARRAYS: readonly [string, (c: CompiledInventory) => Typed, ArrayCtor][] = [
  ['routers.ip', (c) => c.routers.ip, Uint32Array], ['routers.mac', (c) => c.routers.mac, Float64Array],
  ['customers.muted', (c) => c.customers.muted, Uint8Array],
  ['servers.customer', (c) => c.servers.customer, Int32Array], ['servers.ip', (c) => c.servers.ip, Uint32Array],
  ['servers.mac', (c) => c.servers.mac, Float64Array], ['servers.gateway', (c) => c.servers.gateway, Uint32Array],
  ['servers.vlan', (c) => c.servers.vlan, Int32Array],
  ['failovers.ip', (c) => c.failovers.ip, Uint32Array], ['failovers.server', (c) => c.failovers.server, Int32Array],
  ['failovers.vmac', (c) => c.failovers.vmac, Float64Array], ['failovers.block', (c) => c.failovers.block, Int32Array],
  ['failovers.muted', (c) => c.failovers.muted, Uint8Array],
];

const u32 = z.number().int().min(0).max(0xffffffff);
const cidr = z.strictObject({ network: u32, prefix: z.number().int().min(0).max(32), mask: u32, broadcast: u32 });
const index = z.number().int().min(-1);
const headerSchema = z.strictObject({
  format: z.literal(CACHE_FORMAT),
  version: z.string(),
  /** sha256 (hex) of the inventory file the columns were compiled from */
  file: z.string().regex(/^[0-9a-f]{64}$/),
  lengths: z.array(z.number().int().min(0)).length(ARRAYS.length),
  customers: z.strictObject({ id: z.string(), email: z.string(), name: z.string(), locale: z.string() }),
  servers: z.strictObject({ id: z.string() }),
  blocks: z.array(z.strictObject({ cidr: z.string(), range: cidr, split: z.boolean(), server: index })),
  portableBlocks: z.array(z.strictObject({ cidr: z.string(), range: cidr, gateway: u32, customer: index, vlan: z.number().int() })),
  vrack: z.array(cidr),
});
type Header = z.infer<typeof headerSchema>;

const pad8 = (n: number): number => (n + 7) & ~7;

/** sha256 (hex) of a file, read a MiB at a time (no copy of the whole file in memory). */
export function fileSha256(file: string): string {
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

export function encodeCache(c: CompiledInventory, fileHash: string): Buffer {
  const arrays = ARRAYS.map(([, get]) => get(c));
  const header: Header = {
    format: CACHE_FORMAT, version: ARPWARDEN_VERSION, file: fileHash, lengths: arrays.map((a) => a.length),
    customers: { id: c.customers.id, email: c.customers.email, name: c.customers.name, locale: c.customers.locale },
    servers: { id: c.servers.id }, blocks: c.blocks, portableBlocks: c.portableBlocks, vrack: c.vrack,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  let size = pad8(BODY_AT + 4 + json.length);
  const offsets = arrays.map((a) => { const at = size; size += pad8(a.byteLength); return at; });
  const out = Buffer.alloc(size);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(json.length, BODY_AT);
  json.copy(out, BODY_AT + 4);
  arrays.forEach((a, i) => out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offsets[i]));
  createHash('sha256').update(out.subarray(BODY_AT)).digest().copy(out, SUM_AT);
  return out;
}

/** The columns in a cache's bytes, or null when they are not exactly a cache of this file by this version and format. */
export function decodeCache(buf: Buffer, fileHash: string): CompiledInventory | null {
  if (buf.length < BODY_AT + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  if (!createHash('sha256').update(buf.subarray(BODY_AT)).digest().equals(buf.subarray(SUM_AT, BODY_AT))) return null;
  const jsonLength = buf.readUInt32LE(BODY_AT);
  if (BODY_AT + 4 + jsonLength > buf.length) return null;
  let header: Header;
  try {
    const h = headerSchema.safeParse(JSON.parse(buf.toString('utf8', BODY_AT + 4, BODY_AT + 4 + jsonLength)));
    if (!h.success) return null;
    header = h.data;
  } catch {
    return null;
  }
  if (header.version !== ARPWARDEN_VERSION || header.file !== fileHash) return null;
  let at = pad8(BODY_AT + 4 + jsonLength);
  const arrays: Typed[] = [];
  for (let i = 0; i < ARRAYS.length; i++) {
    const Ctor = ARRAYS[i][2];
    const bytes = header.lengths[i] * Ctor.BYTES_PER_ELEMENT;
    if (at + bytes > buf.length) return null;
    // views of the bytes read (no second copy of the columns at the load's peak), unless they are not aligned
    const aligned = (buf.byteOffset + at) % Ctor.BYTES_PER_ELEMENT === 0;
    const a = aligned ? new Ctor(buf.buffer as ArrayBuffer, buf.byteOffset + at, header.lengths[i]) : new Ctor(header.lengths[i]);
    if (!aligned) new Uint8Array(a.buffer).set(buf.subarray(at, at + bytes));
    arrays.push(a);
    at += pad8(bytes);
  }
  const [rIp, rMac, cMuted, sCustomer, sIp, sMac, sGateway, sVlan, fIp, fServer, fVmac, fBlock, fMuted] = arrays;
  const c: CompiledInventory = {
    routers: { ip: rIp as Uint32Array, mac: rMac as Float64Array },
    customers: { ...header.customers, muted: cMuted as Uint8Array },
    servers: { id: header.servers.id, customer: sCustomer as Int32Array, ip: sIp as Uint32Array, mac: sMac as Float64Array, gateway: sGateway as Uint32Array, vlan: sVlan as Int32Array },
    failovers: { ip: fIp as Uint32Array, server: fServer as Int32Array, vmac: fVmac as Float64Array, block: fBlock as Int32Array, muted: fMuted as Uint8Array },
    blocks: header.blocks, portableBlocks: header.portableBlocks, vrack: header.vrack,
  };
  return consistent(c) ? c : null;
}

/** Every column as long as its table and every reference inside its table: what buildInventory relies on. */
function consistent(c: CompiledInventory): boolean {
  const lines = (s: string, n: number): boolean => (n === 0 ? s === '' : lineCount(s) === n);
  const within = (a: Int32Array, n: number, none: boolean): boolean => a.every((x) => x < n && (x >= 0 || (none && x === -1)));
  const nc = c.customers.muted.length;
  const ns = c.servers.ip.length;
  const nf = c.failovers.ip.length;
  return c.routers.mac.length === c.routers.ip.length
    && [c.customers.id, c.customers.email, c.customers.name, c.customers.locale].every((s) => lines(s, nc)) && lines(c.servers.id, ns)
    && [c.servers.customer, c.servers.mac, c.servers.gateway, c.servers.vlan].every((a) => a.length === ns)
    && [c.failovers.server, c.failovers.vmac, c.failovers.block, c.failovers.muted].every((a) => a.length === nf)
    && within(c.servers.customer, nc, false) && within(c.failovers.server, ns, false) && within(c.failovers.block, c.blocks.length, true)
    && c.blocks.every((b) => b.server < ns && (b.server >= 0 || b.split))
    && c.portableBlocks.every((p) => p.customer >= 0 && p.customer < nc);
}

/** The lines of a text joined by "\n", counted without splitting it (100,000 server ids: no string each). */
function lineCount(s: string): number {
  let n = 1;
  for (let at = s.indexOf('\n'); at >= 0; at = s.indexOf('\n', at + 1)) n++;
  return n;
}

/** The cache's columns for this file's hash, or null (none, unreadable, too big, another file, version or format, corrupt). */
export function readInventoryCache(cacheFile: string, fileHash: string): CompiledInventory | null {
  let buf: Buffer;
  try {
    const st = fs.statSync(cacheFile);
    if (!st.isFile() || st.size > MAX_CACHE_BYTES) return null;
    buf = fs.readFileSync(cacheFile);
  } catch {
    return null;
  }
  // the columns become the index's, views of these bytes, and a reload's worker transfers them: a small file's bytes
  // sit in Node's shared Buffer pool, which is not to be transferred; they are copied into bytes of their own
  if (buf.byteOffset !== 0 || buf.byteLength !== buf.buffer.byteLength) {
    const own = Buffer.from(new ArrayBuffer(buf.length));
    buf.copy(own);
    buf = own;
  }
  return decodeCache(buf, fileHash);
}

/** Writes the cache atomically (a temporary file renamed over it: a reader sees the old one or the new one whole). */
export async function writeInventoryCache(cacheFile: string, c: CompiledInventory, fileHash: string): Promise<void> {
  await safeWriteFile(cacheFile, encodeCache(c, fileHash), { keepExisting: false });
}

export interface CachedLoad {
  inventory: InventoryIndex;
  /** built from the cache (no YAML read, no validation) */
  fromCache: boolean;
  /** after a load that did not come from the cache: writes it (a failure is the caller's to log; the load stands) */
  save: (() => Promise<void>) | null;
}

/**
 * loadInventory through the cache: the file's sha256 first; a cache of this very file is built from, anything
 * else is read and validated as always (the same errors), then `save` writes the cache of what was read.
 * The hash kept is the one of the text parsed, so a file changed while it was read is never cached as another.
 */
export function loadInventoryCached(file: string, cacheFile: string): CachedLoad {
  let hash: string | null = null;
  try {
    hash = fileSha256(file);
  } catch {
    // unreadable: readUserFile below says why, in its words
  }
  const hit = hash === null ? null : readInventoryCache(cacheFile, hash);
  if (hit !== null) return { inventory: buildInventory(hit), fromCache: true, save: null };
  const read = createHash('sha256');
  const streamed = streamInventory(file, (bytes) => read.update(bytes));
  if (streamed !== null) {
    const sum = read.digest('hex');
    return { inventory: streamed, fromCache: false, save: () => writeInventoryCache(cacheFile, compileInventory(streamed), sum) };
  }
  const text = readUserFile(file, MAX_INVENTORY_BYTES, 'an inventory');
  const inventory = parseInventory(file, text);
  const parsed = createHash('sha256').update(text, 'utf8').digest('hex');
  return { inventory, fromCache: false, save: () => writeInventoryCache(cacheFile, compileInventory(inventory), parsed) };
}
