import type { DaemonState } from './daemon-state.js';
import type { EncodedState } from './encoded-state.js';

/**
 * A state set aside (a file's `.bad-…`, Redis's `:bad-…` and `:unread-…`) is kept this long (ms), then removed (Redis
 * expires the key; the file store removes its own at a load): long enough for an operator to look at it after the
 * warning, and each restart with a bad state or with Redis away makes one more, so without an end they pile up.
 */
export const SET_ASIDE_TTL_MS = 30 * 24 * 3600 * 1000;

/** What loading a capture daemon's state found. */
export type StateLoad =
  | { kind: 'none' }
  /** `from`: where it was read when not from the store itself (the file Redis takes over from) */
  | { kind: 'loaded'; state: DaemonState; from?: string }
  /** unusable: moved to `movedTo` (a file or a key) so that nothing is lost and the next save does not overwrite it */
  | { kind: 'set_aside'; problem: string; movedTo: string }
  /** the store did not answer in time: the daemon starts with no state (`problem`: why, in a few words) */
  | { kind: 'unreachable'; problem: string };

/**
 * Told when a save that had failed for want of an answer (a timeout) reached the store after all and was refused
 * there, a newer one being in place (`why`: which two, in words). Nothing is lost: it is said for the log.
 */
export type LateRefusal = (why: string) => void;

/**
 * Where one capture daemon keeps its state across restarts: a file (state-file.ts) or a Redis key
 * (redis-state.ts). A save replaces the whole state at once: a crash leaves the old one or the new.
 */
export interface StateStore {
  /** where, in words, for the log: `state file /var/lib/arpwarden/capture-eth1.json`, `state in redis ... key ...` */
  readonly where: string;
  /** read once, before the first frame; throws only for a user's mistake (a message in our words). `signal`: the daemon stops, do not wait */
  load(signal?: AbortSignal): Promise<StateLoad>;
  /**
   * Throws with the reason in a few words when it cannot write now (the keeper retries at the next interval).
   * `setAside`: what the store held was not read at start (it was away), so it was moved there, not overwritten.
   * The incidents come already serialized (encoded-state.ts), so that a save never holds the capture's thread long.
   * A save that timed out never replaces a newer one when it arrives late (`onLateRefusal` is told).
   */
  save(state: EncodedState, onLateRefusal?: LateRefusal): Promise<{ setAside?: string }>;
  /** after the last save */
  close(): Promise<void>;
}
