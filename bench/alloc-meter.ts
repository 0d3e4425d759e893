/**
 * Bytes a synchronous piece of code allocates on the V8 heap: the growth of
 * the used heap across the call plus what every GC during it freed (from
 * v8.GCProfiler's before/after heap statistics), so a scavenge in the middle
 * does not hide what it collected. Repeatable to a few hundred bytes per
 * call (the statistics objects themselves); run the code once before (JIT
 * warm-up: compiled code lives on the heap too) and divide by a large count.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: (() => void) | null = null;

/** A full GC, whether or not node was started with --expose-gc. */
export function fullGc(): void {
  if (gcFn === null) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed !== undefined) gcFn = exposed;
    else {
      v8.setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    }
  }
  gcFn();
  gcFn();
}

export interface Allocation {
  bytes: number;
  /** GCs that ran during the call (scavenges and mark-compacts) */
  gcs: number;
}

export function measureAllocation(run: () => void): Allocation {
  const m = start();
  run();
  return m.stop();
}

/** The same around asynchronous code (a file replay): whatever else runs meanwhile is counted too. */
export async function measureAllocationAsync(run: () => Promise<unknown>): Promise<Allocation> {
  const m = start();
  await run();
  return m.stop();
}

function start(): { stop: () => Allocation } {
  fullGc();
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = v8.getHeapStatistics().used_heap_size;
  return {
    stop: () => {
      const after = v8.getHeapStatistics().used_heap_size;
      const { statistics } = profiler.stop();
      let freed = 0;
      for (const s of statistics) freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
      return { bytes: after - before + freed, gcs: statistics.length };
    },
  };
}
