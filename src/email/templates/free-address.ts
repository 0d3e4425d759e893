/** Which address of a portable block an email suggests moving a machine to. */
import { ipToString, parseIp } from '../../common/addr.js';
import type { BlockValues } from '../job.js';

/**
 * The block's first usable address not seen in use (`inUse`), or null when every one was. A job without
 * `inUse` (queued before it was carried) gets the first usable address, as such jobs always did.
 */
export function freeAddress(b: Readonly<BlockValues>): string | null {
  if (b.inUse === undefined) return b.firstUsable;
  const last = parseIp(b.lastUsable);
  let candidate = parseIp(b.firstUsable);
  if (candidate === null || last === null) return b.firstUsable;
  // ascending, so one pass: each address in use at the candidate pushes it on
  const taken = b.inUse.map(parseIp).filter((ip): ip is number => ip !== null).sort((x, y) => x - y);
  for (const ip of taken) if (ip === candidate) candidate++;
  return candidate <= last ? ipToString(candidate) : null;
}
