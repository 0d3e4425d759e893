import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { safeWriteFile } from '../common/safe-write.js';
import { parseState } from './daemon-state.js';
import type { EncodedState } from './encoded-state.js';
import { SET_ASIDE_TTL_MS, type StateLoad, type StateStore } from './state-store.js';

export type { StateLoad } from './state-store.js';

/**
 * The capture daemon's state in one file, replaced atomically (common/safe-write.ts, as the outbox's
 * emails are written: a temporary file of an unpredictable name created exclusively, never through a
 * symlink, mode 0600, flushed, then renamed over the old one). A crash leaves the old state or the new.
 * Two saves never overlap: a file save has no timeout, and the keeper starts one only after the last has
 * ended (state-keeper.test.ts pins it), so the last rename is always the newest state's.
 */
export class StateFile implements StateStore {
  constructor(readonly path: string) {}

  get where(): string {
    return `state file ${this.path}`;
  }

  async load(): Promise<StateLoad> {
    await this.pruneSetAside(Date.now());
    let text: string;
    try {
      text = await fsp.readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
      throw new Error(`state file ${this.path}: ${describeFsError(e)}`, { cause: e });
    }
    const r = parseState(text);
    if ('state' in r) return { kind: 'loaded', state: r.state };
    const movedTo = `${this.path}.bad-${Date.now()}`;
    try {
      await fsp.rename(this.path, movedTo);
    } catch (e) {
      // not overwritten by the next save either: the operator moves it (a save would fail alike)
      throw new Error(`state file ${this.path}: not usable (${r.problem}) and cannot be set aside: ${describeFsError(e)}`, { cause: e });
    }
    return { kind: 'set_aside', problem: r.problem, movedTo };
  }

  async save(state: EncodedState): Promise<{ setAside?: string }> {
    try {
      await safeWriteFile(this.path, state.pieces(), { keepExisting: false });
      return {};
    } catch (e) {
      throw new Error(`state file ${this.path}: ${describeFsError(e)}`, { cause: e });
    }
  }

  async close(): Promise<void> {}

  /**
   * Removes the files set aside (`PATH.bad-MS`) more than SET_ASIDE_TTL_MS ago, as Redis expires its own. Best effort:
   * one that cannot be removed stays (the operator's to move), and the load goes on.
   */
  private async pruneSetAside(nowMs: number): Promise<void> {
    const prefix = `${path.basename(this.path)}.bad-`;
    let names: string[];
    try {
      names = await fsp.readdir(path.dirname(this.path));
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const stamp = name.slice(prefix.length);
      // only the names load() gives (ms since 1970 in digits): not `.bad-`, `.bad-0x1f`, `.bad-1e3` or an operator's own
      if (!/^\d{1,16}$/.test(stamp)) continue;
      if (nowMs - Number(stamp) > SET_ASIDE_TTL_MS) await fsp.rm(path.join(path.dirname(this.path), name), { force: true }).catch(() => {});
    }
  }
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOENT': return 'its directory does not exist';
    case 'ENOSPC': return 'no space left on the device';
    case 'EROFS': return 'read-only file system';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'is a symbolic link';
    default: return e instanceof Error ? e.message : String(e);
  }
}
