/** Which addresses of a portable block an email suggests moving machines to. */
import { ipToString, parseIp } from '../../common/addr.js';
import type { BlockValues } from '../job.js';

/**
 * Up to `count` of the block's usable addresses not seen in use (`inUse`), ascending: fewer when fewer were not
 * seen. A job without `inUse` (queued before it was carried) gets them from the first usable address, as such
 * jobs always did.
 */
export function freeAddresses(b: Readonly<BlockValues>, count: number): string[] {
  const first = parseIp(b.firstUsable);
  const last = parseIp(b.lastUsable);
  if (first === null || last === null) return [b.firstUsable];
  // ascending, so one pass: each address in use at the candidate pushes it on
  const taken = (b.inUse ?? []).map(parseIp).filter((ip): ip is number => ip !== null).sort((x, y) => x - y);
  const out: string[] = [];
  let t = 0;
  for (let ip = first; ip <= last && out.length < count; ip++) {
    while (t < taken.length && taken[t] < ip) t++;
    if (t < taken.length && taken[t] === ip) continue;
    out.push(ipToString(ip));
  }
  return out;
}
