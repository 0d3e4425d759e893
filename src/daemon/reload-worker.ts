/**
 * The worker thread of a SIGHUP reload (reload-thread.ts starts it): reads, parses, validates and indexes the
 * inventory file, compares it with the last good one, and reads the configuration file again, all away from
 * the capture's thread; posts back the new inventory compiled (its arrays transferred) or why it was refused.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { reloadConfig } from '../config/load.js';
import { buildInventory, compiledBuffers, compileInventory } from '../inventory/compiled.js';
import { diffInventories, reloadSummary, removedPercent } from '../inventory/diff.js';
import { loadInventoryCached } from '../inventory/cache.js';
import { loadInventory } from '../inventory/load.js';
import type { ReloadAnswer, ReloadRequest } from './reload-thread.js';

const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function answer(req: ReloadRequest): Promise<{ answer: ReloadAnswer; transfer: ArrayBuffer[] }> {
  let config: ReloadAnswer['config'] = null;
  if (req.configFile !== undefined) {
    try {
      config = { ok: true, config: reloadConfig(req.configFile) };
    } catch (e) {
      config = { ok: false, reason: why(e) };
    }
  }
  try {
    const loaded = req.cacheFile === undefined ? { inventory: loadInventory(req.inventoryFile), save: null } : loadInventoryCached(req.inventoryFile, req.cacheFile);
    const next = loaded.inventory;
    const diff = diffInventories(buildInventory(req.previous), next);
    const compiled = compileInventory(next);
    // the cache is of the file as it is on disk, which the next start reads whether this reload is taken or refused
    let cacheProblem: string | null = null;
    await loaded.save?.().catch((e: unknown) => { cacheProblem = `not written: ${why(e)}`; });
    const inventory = { ok: true as const, compiled, changes: reloadSummary(diff), customerIps: diff.customerIps, removedPercent: removedPercent(diff) };
    return { answer: { inventory, config, cacheProblem }, transfer: compiledBuffers(compiled) };
  } catch (e) {
    return { answer: { inventory: { ok: false, reason: why(e) }, config, cacheProblem: null }, transfer: [] };
  }
}

const { answer: a, transfer } = await answer(workerData as ReloadRequest);
parentPort!.postMessage(a, transfer);
