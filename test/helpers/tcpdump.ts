/** The reference the evidence lines are held to: `TZ=UTC tcpdump -tttt -nn -e -r FILE`, one line a frame. */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { FormatTcpdumpOptions } from '../../src/decode/format-tcpdump.js';

export const TCPDUMP = '/usr/bin/tcpdump';

export async function tcpdumpLines(file: string, filter?: string): Promise<string[]> {
  const args = ['-tttt', '-nn', '-e', '-r', file, ...(filter === undefined ? [] : [filter])];
  const { stdout } = await promisify(execFile)(TCPDUMP, args, { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 256 << 20, encoding: 'utf8' });
  return stdout.split('\n').filter((l) => l !== '');
}

/** if_indextoname(3) as tcpdump does it on this host, from /sys/class/net. */
export function hostIfNames(): Map<number, string> {
  const names = new Map<number, string>();
  try {
    for (const name of readdirSync('/sys/class/net')) {
      try {
        names.set(Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8').trim()), name);
      } catch { /* an interface gone meanwhile */ }
    }
  } catch { /* no sysfs: tcpdump names none either */ }
  return names;
}

/** formatTcpdump's options that name SLL2 interfaces as tcpdump does on this host. */
export function hostFormat(): FormatTcpdumpOptions {
  const names = hostIfNames();
  return { ifName: (i) => names.get(i) };
}

/**
 * Inserts `tag` (4 bytes: TPID, TCI) after the `depth` tags an Ethernet frame
 * already has (fixtures/lib's withTags inserts in front of them).
 */
export function insertInnerTag(frame: Uint8Array, depth: number, tpid: number, tci: number): Uint8Array {
  const at = 12 + 4 * depth;
  const out = new Uint8Array(frame.length + 4);
  out.set(frame.subarray(0, at));
  out.set([tpid >>> 8, tpid & 255, tci >>> 8, tci & 255], at);
  out.set(frame.subarray(at), at + 4);
  return out;
}
