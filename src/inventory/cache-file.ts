import path from 'node:path';

/**
 * Where `capture` keeps the compiled inventory cache (cache.ts): `inventory.cache` when it names a file; none when
 * it is false; otherwise beside the daemon's state in systemd's state directory (the first of a colon-separated
 * list: the unit's own), and none outside systemd.
 */
export function inventoryCacheFile(setting: string | false | undefined, env: Readonly<Record<string, string | undefined>>): string | null {
  if (setting === false) return null;
  if (setting !== undefined) return setting;
  const dir = env.STATE_DIRECTORY?.split(':')[0];
  return dir === undefined || dir === '' ? null : path.join(dir, 'inventory.cache');
}
