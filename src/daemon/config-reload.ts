import type { Config } from '../config/schema.js';

/** What a configuration read again on SIGHUP changes: the thresholds, taken live, and the keys that only a restart takes. */
export interface ConfigChanges {
  /** `detector.thresholds.NAME old -> new` */
  thresholds: string[];
  /** dotted keys (`web.listen`, `detector.window_seconds`): the running daemon keeps their old value */
  needRestart: string[];
}

/** The detector reads its thresholds per window: they change live, windows and incidents carry on. Nothing else does. */
const LIVE = 'detector.thresholds';

export function configChanges(running: Config, next: Config): ConfigChanges {
  const out: ConfigChanges = { thresholds: [], needRestart: [] };
  const walk = (a: unknown, b: unknown, key: string): void => {
    if (isRecord(a) && isRecord(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], key === '' ? k : `${key}.${k}`);
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (key.startsWith(`${LIVE}.`)) out.thresholds.push(`${key} ${String(a)} -> ${String(b)}`);
    else out.needRestart.push(key);
  };
  walk(running, next, '');
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
