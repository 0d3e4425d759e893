import { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import type { CompiledInventory } from '../inventory/compiled.js';
import type { InventoryDiff } from '../inventory/diff.js';

export interface ReloadRequest {
  inventoryFile: string;
  /** the last good inventory, for the diff */
  previous: CompiledInventory;
  /** the configuration file to read again (its detector thresholds); absent: none was given */
  configFile?: string;
  /** the compiled inventory cache (inventory/cache.ts): read through, and written after a good read; absent: none */
  cacheFile?: string;
}

export interface ReloadAnswer {
  inventory:
    | { ok: true; compiled: CompiledInventory; changes: string; customerIps: InventoryDiff['customerIps']; removedPercent: number }
    | { ok: false; reason: string };
  config: { ok: true; config: Config } | { ok: false; reason: string } | null;
  /** why the inventory cache could not be written (the reload stands); null: written, or nothing to write */
  cacheProblem: string | null;
}

/** A reload's worker may use this much heap: a hostile file ends the worker (refused), never the daemon. */
const WORKER_HEAP_MIB = 2048;

/** Runs one reload in a worker thread (reload-worker.ts); resolves with its answer, a failure of the worker itself as a refusal. */
export function reloadInThread(req: ReloadRequest): Promise<ReloadAnswer> {
  // from the sources (tests, tsx) the worker is TypeScript too
  const fromSources = import.meta.url.endsWith('.ts');
  const url = new URL(fromSources ? './reload-worker.ts' : './reload-worker.js', import.meta.url);
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: ReloadAnswer): void => {
      if (settled) return;
      settled = true;
      resolve(a);
    };
    const fail = (reason: string): void => done({ inventory: { ok: false, reason }, config: null, cacheProblem: null });
    // tsx's loader (--import tsx) does not reach a worker's entry on Node 20: its API registers it there first
    const entry = fromSources ? `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })` : url;
    const worker = new Worker(entry, {
      eval: fromSources,
      workerData: req,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MIB },
      stdout: false,
      stderr: false,
    });
    // a reload still reading when the capture stops does not hold the process
    worker.unref();
    worker.once('message', (a: ReloadAnswer) => done(a));
    worker.once('error', (e: Error) => {
      const oom = (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      fail(oom ? `${req.inventoryFile}: reading it took more than ${WORKER_HEAP_MIB} MiB, refused` : `${req.inventoryFile}: the reload failed: ${e.message}`);
    });
    worker.once('exit', (code) => fail(`${req.inventoryFile}: the reload's worker ended (status ${code}) without an answer`));
  });
}
