/**
 * The cold load of the usual inventory (one entry per line, line-yaml.ts's shape) straight into the index's columns:
 * the file read a chunk at a time as bytes, each line taken as it comes, servers and failover IPs parsed from their
 * bytes (stream-entries.ts) and resolved at once by row (stream-resolve.ts). No text of the whole file, no entry
 * object kept for them: 100,000 servers and 200,000 failover IPs in the index's own arrays and tables only.
 * Null when the file is not exactly that shape or anything in it is wrong, or cannot be read: the caller then reads
 * it the usual way (load.ts), which says why with the file and the line, as before.
 */
import fs from 'node:fs';
import type { z } from 'zod';
import { MAX_INVENTORY_BYTES } from '../common/read-user-file.js';
import { fastFailover, fastServer } from './fast-entries.js';
import type { InventoryIndex } from './inventory-index.js';
import { lineEntry, NOT_SIMPLE, sectionHeader } from './line-yaml.js';
import type { InventoryFile } from './schema.js';
import { failoverFields, readFailoverLine, readServerLine, serverFields } from './stream-entries.js';
import { type Expected, StreamResolver } from './stream-resolve.js';
import { SECTIONS } from './validate.js';

/** bytes read at a time; a line longer than this is left to the usual path */
const CHUNK = 1 << 20;
const ENTRY: Record<keyof InventoryFile, z.ZodType> = SECTIONS;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `onBytes`: every byte read, in order (the cache's sha256 of the file as it was read). */
export function streamInventory(file: string, onBytes?: (bytes: Uint8Array) => void): InventoryIndex | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > MAX_INVENTORY_BYTES) return null;
    const buf = Buffer.allocUnsafe(CHUNK);
    const count = new LineCount();
    if (!eachLine(fd, buf, (b, from, to) => count.line(b, from, to), (fresh) => count.chunk(fresh))) return null;
    const lines = new SectionReader(count.expected());
    const read = (fresh: Buffer): boolean => {
      // line-yaml.ts's shape has no carriage return, no tab, no byte order mark
      if (fresh.indexOf(13) >= 0 || fresh.indexOf(9) >= 0) return false;
      onBytes?.(fresh);
      return true;
    };
    if (!eachLine(fd, buf, (b, from, to) => lines.line(b, from, to), read)) return null;
    return lines.finish();
  } catch (e) {
    // unreadable midway: the usual path says why (anything else is a fault of this code, not to be hidden)
    if (e instanceof Error && 'code' in e) return null;
    throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Every line of the file from its start, a chunk of `buf` at a time: `fresh` sees each chunk's new bytes first,
 * `line` each line's [from, to) in `buf` (no newline), the text after the last newline included. False as soon
 * as either answers false, the file holds more than an inventory may, or a line is longer than `buf`.
 */
function eachLine(fd: number, buf: Buffer, line: (b: Buffer, from: number, to: number) => boolean, fresh: (bytes: Buffer) => boolean): boolean {
  let have = 0;
  let position = 0;
  for (;;) {
    const n = fs.readSync(fd, buf, have, buf.length - have, position);
    if (n === 0) break;
    if (position === 0 && n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return false;
    position += n;
    if (position > MAX_INVENTORY_BYTES || !fresh(buf.subarray(have, have + n))) return false;
    have += n;
    let at = 0;
    for (let nl = buf.indexOf(10, at); nl >= 0 && nl < have; nl = buf.indexOf(10, at)) {
      if (!line(buf, at, nl)) return false;
      at = nl + 1;
    }
    if (at === 0 && have === buf.length) return false;
    buf.copyWithin(0, at, have);
    have -= at;
  }
  return line(buf, 0, have);
}

const VIRTUAL_MAC = Buffer.from('virtual_mac', 'latin1');

/** The first read: the lines under each top-level key and the `virtual_mac` keys, so that the tables are sized ahead. */
class LineCount {
  private readonly lines = new Map<string, number>();
  private section = '';
  /** lines under `section` so far */
  private n = 0;
  private vmacs = 0;

  line(b: Buffer, from: number, to: number): boolean {
    if (from === to) return true;
    const c = b[from];
    if (c < 97 || c > 122) {
      this.n++;
      return true;
    }
    this.close();
    const colon = b.indexOf(58, from);
    this.section = colon >= 0 && colon < to ? b.toString('latin1', from, colon) : '';
    return true;
  }

  private close(): void {
    this.lines.set(this.section, (this.lines.get(this.section) ?? 0) + this.n);
    this.n = 0;
  }

  /** a key cut by the chunk's end is not counted: a table sized one short grows, nothing else */
  chunk(bytes: Buffer): boolean {
    for (let at = bytes.indexOf(VIRTUAL_MAC); at >= 0; at = bytes.indexOf(VIRTUAL_MAC, at + VIRTUAL_MAC.length)) this.vmacs++;
    return true;
  }

  expected(): Expected {
    this.close();
    const n = (k: string): number => this.lines.get(k) ?? 0;
    return { customers: n('customers'), servers: n('servers'), failovers: n('failover_ips') + n('blocks'), macs: n('routers') + n('servers') + this.vmacs };
  }
}

/** parseLineYaml's walk over the lines (line-yaml.ts), on bytes, each entry handed on as it is read. */
class SectionReader {
  private readonly resolver: StreamResolver;
  private readonly entries: Pick<InventoryFile, 'routers' | 'customers' | 'blocks' | 'portable_blocks' | 'vrack'> = { routers: [], customers: [], blocks: [], portable_blocks: [], vrack: [] };
  private readonly seen = new Set<string>();
  private section: string | null = null;
  private indent = -1;
  private closed = false;
  private count = 0;
  /** the routers and customers are resolved when the servers start: after that, neither may come */
  private serversStarted = false;
  private readonly server = serverFields();
  private readonly failover = failoverFields();

  constructor(expected: Expected) {
    this.resolver = new StreamResolver(expected);
  }

  line(b: Buffer, from: number, to: number): boolean {
    let i = from;
    while (i < to && b[i] === 32) i++;
    if (i === to || b[i] === 35 /* # */) return true;
    if (i === from) return this.header(b.toString('utf8', from, to));
    if (this.section === null || this.closed || b[i] !== 45 /* - */ || b[i + 1] !== 32 || i + 1 >= to) return false;
    if (this.indent < 0) this.indent = i - from;
    else if (this.indent !== i - from) return false;
    this.count++;
    const body = i + 2;
    const s = this.section;
    if (s === 'servers') {
      if (readServerLine(b, body, to, this.server)) return this.resolver.server(b, this.server);
      const e = this.entry(s, b.toString('utf8', body, to));
      return e !== NOT_SIMPLE && this.resolver.serverEntry(e as InventoryFile['servers'][number]);
    }
    if (s === 'failover_ips') {
      if (readFailoverLine(b, body, to, this.failover)) return this.resolver.failover(b, this.failover);
      const e = this.entry(s, b.toString('utf8', body, to));
      return e !== NOT_SIMPLE && this.resolver.failoverEntry(e as InventoryFile['failover_ips'][number]);
    }
    if (s !== 'routers' && s !== 'customers' && s !== 'blocks' && s !== 'portable_blocks' && s !== 'vrack') throw new Error(`no list ${s} in an inventory`);
    const e = this.entry(s, b.toString('utf8', body, to));
    if (e === NOT_SIMPLE) return false;
    (this.entries[s] as unknown[]).push(e);
    return true;
  }

  finish(): InventoryIndex | null {
    // an empty file, or a list written without entries (`servers:`): the usual path says what that means
    if (this.seen.size === 0 || this.emptyList()) return null;
    if (!this.serversStarted && !this.startServers()) return null;
    return this.resolver.finish(this.entries);
  }

  private header(line: string): boolean {
    const head = sectionHeader(line);
    if (head === null || this.seen.has(head.key) || this.emptyList()) return false;
    const key = head.key;
    // an unknown list, even `colour: []`: the usual path refuses it by name
    if (!Object.hasOwn(ENTRY, key)) return false;
    if ((key === 'routers' || key === 'customers') && this.serversStarted) return false;
    // a failover names its server: the servers come first
    if (key === 'failover_ips' && !this.seen.has('servers')) return false;
    if ((key === 'servers' || key === 'failover_ips') && !this.serversStarted && !this.startServers()) return false;
    this.seen.add(key);
    this.section = key;
    this.closed = head.closed;
    this.indent = -1;
    this.count = 0;
    return true;
  }

  /** the section before is a `key:` with no entry under it (null to YAML) */
  private emptyList(): boolean {
    return this.section !== null && !this.closed && this.count === 0;
  }

  private startServers(): boolean {
    this.serversStarted = true;
    return this.resolver.routersAndCustomers(this.entries);
  }

  /** One entry as line-yaml.ts reads it and fast-load.ts validates it, or NOT_SIMPLE. */
  private entry(section: keyof InventoryFile, body: string): unknown {
    const value = lineEntry(body);
    if (value === NOT_SIMPLE) return NOT_SIMPLE;
    const plain = isRecord(value) ? (section === 'failover_ips' ? fastFailover(value) : section === 'servers' ? fastServer(value) : null) : null;
    if (plain !== null) return plain;
    const r = ENTRY[section].safeParse(value);
    return r.success ? r.data : NOT_SIMPLE;
  }
}
