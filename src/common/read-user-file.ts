import fs from 'node:fs';
import { UserError } from './user-error.js';

/** Why a file the user named cannot be used, in a few words. */
export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(e);
}

/** The largest files we read, bytes: far above any real one, far below what would exhaust the heap. */
export const MAX_INVENTORY_BYTES = 256 * 1024 * 1024;
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** "256 MiB" for whole MiB, "1,048,577 bytes" otherwise */
const size = (n: number): string => (n >= 1048576 && n % 1048576 === 0 ? `${n / 1048576} MiB` : `${n.toLocaleString('en-US')} bytes`);

/**
 * The text of a file the user named (configuration, inventory); a UserError "FILE: reason" if it cannot be read
 * or is larger than `maxBytes` (read at most that much plus one: a device or FIFO cannot make it read forever).
 */
export function readUserFile(file: string, maxBytes: number, what: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new UserError(`${file}: ${fileErrorReason(e)}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new UserError(`${file}: is a directory`);
    if (st.size > maxBytes) throw new UserError(`${file}: ${size(st.size)}, more than the ${size(maxBytes)} ${what} may be`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(Math.max(st.size - total, 65536), maxBytes + 1 - total));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new UserError(`${file}: more than the ${size(maxBytes)} ${what} may be`);
    }
    // one read is the usual case: no copy of a 50 MB file's bytes
    return (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total)).toString('utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file}: ${fileErrorReason(e)}`);
  } finally {
    fs.closeSync(fd);
  }
}
