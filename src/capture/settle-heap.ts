import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * One full collection now, before a live capture reads its first frame. Start-up leaves a large heap of
 * garbage (a 100,000-server inventory's parse: 230 MB, 90 MB of it kept), and V8 otherwise collects it
 * with a 200-900 ms pause a few seconds into the capture (seen with --trace-gc), while the kernel ring
 * fills: at 800,000 frames/s that pause is the whole ring. Node exposes no collection without
 * --expose-gc, which a unit's `arpwarden` command cannot pass; the flag set at run time gives a new
 * context its `gc`. Returns whether it ran.
 */
export function settleHeap(): boolean {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    if (typeof gc !== 'function') return false;
    (gc as () => void)();
    return true;
  } catch {
    // a runtime without it captures anyway, as before
    return false;
  }
}
