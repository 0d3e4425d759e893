/** Which addresses of a portable block an email suggests moving machines to. */
import { ipToString, parseIp } from '../../common/addr.js';
import type { BlockValues } from '../job.js';

/**
 * Up to `count` of the block's usable addresses not seen in use (`inUse`), ascending from the first usable address
 * (`fromLast`: descending from the last): fewer when fewer were not seen. A job without `inUse` (queued before it was
 * carried) gets them as if none was seen.
 */
export function freeAddresses(b: Readonly<BlockValues>, count: number, fromLast = false): string[] {
  const first = parseIp(b.firstUsable);
  const last = parseIp(b.lastUsable);
  if (first === null || last === null) return [b.firstUsable];
  const used = new Set((b.inUse ?? []).map(parseIp).filter((ip): ip is number => ip !== null));
  const out: string[] = [];
  for (let i = 0; i <= last - first && out.length < count; i++) {
    const ip = fromLast ? last - i : first + i;
    if (!used.has(ip)) out.push(ipToString(ip));
  }
  return out;
}
