import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './user-error.js';

/**
 * Files we write into a directory others may see (the outbox's .eml files): never through a link a
 * local user planted, never half-written, never readable by more than they must be.
 */

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
const CREATE_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;
// POSIX's values (Node's fs.constants lacks them)
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;

/** The file is owner-only, or also group-readable when the directory is setgid (its group chosen by the admin). */
export function fileModeFor(dirMode: number): number {
  return (dirMode & S_ISGID) !== 0 ? 0o640 : 0o600;
}

export type SafeWriteOutcome = 'written' | 'exists';

export interface SafeWriteOptions {
  /** the file's permission bits (default 0600) */
  mode?: number;
  /** true: a file already there stays and the outcome is 'exists'; false: it is replaced */
  keepExisting: boolean;
}

/** A temporary name no other user can guess beforehand, in the target's own directory (so the rename is atomic). */
export function temporaryName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(12).toString('hex')}.tmp`);
}

/** How much of a file given in pieces is written at once: one copy of this many bytes, not of the whole. */
const GROUP_BYTES = 1 << 20;

/**
 * Writes `data` to `target`: into a fresh temporary file (O_CREAT|O_EXCL|O_NOFOLLOW: a name planted
 * there, symlink or not, makes the open fail rather than be written through), fsync'd, then put in
 * place. A target that is a symlink is refused. keepExisting places it with link(2), which never
 * replaces; otherwise with rename(2). The temporary file is gone afterwards, whatever happened.
 * `data` in pieces (the state file's incidents): written in order, about a MiB at a time, never copied whole.
 */
export async function safeWriteFile(target: string, data: Uint8Array | readonly Uint8Array[], opts: SafeWriteOptions): Promise<SafeWriteOutcome> {
  await refuseSymlink(target);
  const tmp = temporaryName(target);
  const fh = await fsp.open(tmp, CREATE_FLAGS, opts.mode ?? 0o600);
  try {
    try {
      // the umask may have narrowed the mode; a group-readable file must be so
      await fh.chmod(opts.mode ?? 0o600);
      if (data instanceof Uint8Array) await fh.writeFile(data);
      else await writePieces(fh, data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (opts.keepExisting) {
      try {
        await fsp.link(tmp, target);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        if (!(await isOurFile(target))) throw new Error(`${target} appeared meanwhile and is not our file: refused`);
        return 'exists';
      }
    } else {
      await fsp.rename(tmp, target);
    }
    await syncDir(path.dirname(target));
    return 'written';
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

async function writePieces(fh: fsp.FileHandle, pieces: readonly Uint8Array[]): Promise<void> {
  let position = 0;
  let group: Uint8Array[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    // a lone piece (one of a MiB or more) is written as it is, not copied
    const buf = group.length === 1 ? group[0] : Buffer.concat(group, size);
    group = [];
    size = 0;
    for (let off = 0; off < buf.length;) {
      const { bytesWritten } = await fh.write(buf, off, buf.length - off, position);
      off += bytesWritten;
      position += bytesWritten;
    }
  };
  for (const p of pieces) {
    group.push(p);
    size += p.length;
    if (size >= GROUP_BYTES) await flush();
  }
  if (size > 0) await flush();
}

async function refuseSymlink(target: string): Promise<void> {
  let st: fs.Stats;
  try {
    st = await fsp.lstat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (st.isSymbolicLink()) throw new Error(`${target} is a symbolic link: refused (someone else may have planted it)`);
}

/**
 * Whether `target` is a file we wrote before (regular, ours): false when there is nothing; a throw
 * when something else holds the name (a symlink, a directory, another user's file planted in a
 * sticky directory), which must be neither written through nor taken for our own.
 */
export async function isOurFile(target: string): Promise<boolean> {
  let st: fs.Stats;
  try {
    st = await fsp.lstat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  if (st.isSymbolicLink()) throw new Error(`${target} is a symbolic link: refused (someone else may have planted it)`);
  if (!st.isFile()) throw new Error(`${target} is there and is not a file: refused`);
  const uid = process.geteuid?.() ?? st.uid;
  if (st.uid !== uid) throw new Error(`${target} is there, owned by uid ${st.uid}, not by us: refused (someone else may have planted it)`);
  return true;
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Why a directory cannot hold our files safely, or null when it can. `uid`: the process's. */
export function unsafeDirReason(st: fs.Stats, uid: number, own: boolean): string | null {
  const ours = st.uid === uid;
  const sticky = (st.mode & S_ISVTX) !== 0;
  const otherOwner = !ours && st.uid !== 0;
  const writable = (st.mode & 0o022) !== 0 || otherOwner;
  if (!writable) return null;
  // the outbox itself must be ours even when sticky (else its owner can swap our files); an ancestor may be a sticky /tmp
  if (sticky && (ours || (!own && !otherOwner))) return null;
  const who = otherOwner ? `owned by uid ${st.uid}` : (st.mode & 0o002) !== 0 ? 'writable by every user' : 'writable by its group';
  return `${who}${sticky ? '' : ' and not sticky'}: another user could plant or swap files there`;
}

/** Why a path component cannot be created, in our words. */
function mkdirReason(e: unknown, holds: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR') return `not a directory (a part of the path is a file; ${holds} go into a directory)`;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOENT') return 'cannot be created there';
  return e instanceof Error ? e.message : String(e);
}

/**
 * Makes `dir` (and its missing parents, mode 0700) one component at a time: fs.mkdir's recursive
 * mode loops forever where mkdir(2) answers ENOENT for a path that exists (`/proc/x`).
 * Then checks it and every ancestor: a directory another user can write into is refused.
 * Returns the directory's real path and its stat. `what` starts each error ("--outbox DIR"), `holds` says what goes there ("the emails").
 */
export function prepareSafeDir(dir: string, what: string, holds: string): { dir: string; stat: fs.Stats } {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let p = abs;
  for (;;) {
    let st: fs.Stats | null = null;
    try {
      st = fs.statSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`${what}: ${mkdirReason(e, holds)}`);
    }
    if (st !== null) {
      if (!st.isDirectory()) {
        throw new UserError(`${what}: not a directory (${p === abs ? 'a file of that name is there' : 'a part of the path is a file'}; ${holds} go into a directory)`);
      }
      break;
    }
    missing.push(p);
    const up = path.dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const m of missing.reverse()) {
    try {
      fs.mkdirSync(m, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UserError(`${what}: ${mkdirReason(e, holds)}`);
    }
  }
  const real = fs.realpathSync(abs);
  const uid = process.geteuid?.() ?? 0;
  for (let a = real, own = true; ; own = false) {
    const st = fs.statSync(a);
    if (!st.isDirectory()) throw new UserError(`${what}: not a directory (${holds} go into a directory)`);
    const why = unsafeDirReason(st, uid, own);
    if (why !== null) throw new UserError(`${what}: refused: ${own ? 'the directory' : a} is ${why}`);
    const up = path.dirname(a);
    if (up === a) break;
    a = up;
  }
  try {
    fs.accessSync(real, fs.constants.W_OK);
  } catch (e) {
    throw new UserError(`${what}: ${mkdirReason(e, holds)}`);
  }
  return { dir: real, stat: fs.statSync(real) };
}
