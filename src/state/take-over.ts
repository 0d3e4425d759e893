import { promises as fsp } from 'node:fs';
import type { EncodedState } from './encoded-state.js';
import type { StateFile } from './state-file.js';
import type { LateRefusal, StateLoad, StateStore } from './state-store.js';

/**
 * Redis taking over from the state file a daemon wrote before it had a queue (an upgrade, or a queue newly
 * configured): while Redis holds nothing for it, the file is read instead; once Redis holds the state, the
 * file is renamed `FILE.moved-to-redis`, so that it is never read again.
 */
export class TakeOverStore implements StateStore {
  private readFromOld = false;

  constructor(private readonly store: StateStore, private readonly old: StateFile) {}

  get where(): string {
    return this.store.where;
  }

  async load(signal?: AbortSignal): Promise<StateLoad> {
    const r = await this.store.load(signal);
    if (r.kind !== 'none') return r;
    const o = await this.old.load();
    if (o.kind !== 'loaded') return o.kind === 'set_aside' ? o : r;
    this.readFromOld = true;
    return { ...o, from: this.old.where };
  }

  async save(state: EncodedState, onLateRefusal?: LateRefusal): Promise<{ setAside?: string }> {
    const r = await this.store.save(state, onLateRefusal);
    if (this.readFromOld) {
      this.readFromOld = false;
      // a file left in place is harmless: Redis, which holds the state now, is read first
      await fsp.rename(this.old.path, `${this.old.path}.moved-to-redis`).catch(() => undefined);
    }
    return r;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
