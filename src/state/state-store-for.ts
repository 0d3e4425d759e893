import path from 'node:path';
import type { Config } from '../config/schema.js';
import { sentinelOf } from '../email/queue/redis.js';
import { RedisStateStore } from './redis-state.js';
import { StateFile } from './state-file.js';
import type { StateStore } from './state-store.js';
import { TakeOverStore } from './take-over.js';

export interface StateStoreContext {
  iface: string;
  /** --state FILE */
  file?: string;
  /** the process's environment: systemd's $STATE_DIRECTORY (StateDirectory=) */
  env: Readonly<Record<string, string | undefined>>;
  /** os.hostname(): the default state.instance */
  host: string;
  /** one of several daemons on the span port (--vlans): its part of the state file's name (VlanSet.slug) */
  part?: string;
}

/**
 * Where a capture daemon keeps its state: a file given explicitly (--state, state.file); else Redis when a
 * queue is configured (every daemon of the queue beside its jobs, one key each); else a file in systemd's
 * state directory; else nowhere.
 */
export function stateStoreFor(config: Config, c: StateStoreContext): StateStore | null {
  const file = c.file ?? config.state.file;
  if (file !== null) return new StateFile(file);
  // systemd may list several directories, separated by colons: the first is the unit's own
  const dir = c.env.STATE_DIRECTORY?.split(':')[0];
  const unitFile = dir === undefined || dir === '' ? null : new StateFile(path.join(dir, `capture-${c.iface}${c.part === undefined ? '' : `.${c.part}`}.json`));
  const q = config.queue;
  if (q.redis_url !== undefined || q.sentinels !== undefined) {
    const redis = new RedisStateStore({
      // with Sentinel and no URL, the sentinels name the master (no password, database 0)
      url: q.redis_url ?? 'redis://', sentinel: sentinelOf(q), queueName: q.name,
      instance: config.state.instance ?? c.host, iface: c.iface, waitMs: config.state.wait_seconds * 1000,
    }, c.host);
    // the file this daemon kept before it had a queue is taken over, not forgotten
    return unitFile === null ? redis : new TakeOverStore(redis, unitFile);
  }
  return unitFile;
}
