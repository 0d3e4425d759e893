/**
 * Incidents on the benches' captures, against a committed reference (bench/incidents-reference.json)
 * written by the code before issue 12's detector change: a faster detector must decide exactly the same.
 *
 *   npx tsx bench/incidents-check.ts            # compare (exit 1 on any difference)
 *   npx tsx bench/incidents-check.ts --write    # write the reference from the code as it is
 *
 * Per capture: the incidents as `replay --format json` prints them (incidentJson), hashed (sha256 of
 * the JSON), their count, and the detector's counts at the end. The JSON itself goes to
 * bench/out/incidents-CAPTURE.json, to diff against the same file written by another commit.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FileSource } from '../src/capture/file-source.js';
import { incidentJson } from '../src/cli/incidents-output.js';
import { defaultConfig } from '../src/config/schema.js';
import { loadInventory } from '../src/inventory/load.js';
import { replayFile } from '../src/pipeline/replay.js';
import { OUT_DIR, ROOT } from './capture.js';
import { captureParams, ensureDetectCapture, ensureFlood, ensureInventory, floodParams, inventoryParams } from './detect-capture.js';

const REFERENCE = path.join(ROOT, 'bench', 'incidents-reference.json');

interface Outcome { incidents: number; sha256: string; detector: Record<string, number> }

const cli = parseArgs({ options: { write: { type: 'boolean', default: false } } });

/** The benches' captures: bench:detect's (4M and 1M frames, 100,000 servers), the allocation test's, the flood. */
function captures(): { name: string; file: string; inventory: string }[] {
  const big = inventoryParams(100_000);
  const small = inventoryParams(20_000);
  const bigInv = ensureInventory(big).file;
  return [
    { name: 'detect-4M-active0.16', file: ensureDetectCapture(captureParams(big, 4_000_000, 0.16)).file, inventory: bigInv },
    { name: 'detect-1M-active0.25', file: ensureDetectCapture(captureParams(big, 1_000_000, 0.25)).file, inventory: bigInv },
    { name: 'detect-200k-inv20k', file: ensureDetectCapture(captureParams(small, 200_000)).file, inventory: ensureInventory(small).file },
    { name: 'flood-1M', file: ensureFlood(floodParams(1_000_000)).file, inventory: bigInv },
  ];
}

async function outcome(file: string, inventoryFile: string, name: string): Promise<Outcome> {
  const run = await replayFile(new FileSource(file), defaultConfig(), loadInventory(inventoryFile));
  const d = run.detection!;
  const json = JSON.stringify(d.incidents!.map(incidentJson), null, 1);
  fs.writeFileSync(path.join(OUT_DIR, `incidents-${name}.json`), json);
  const st = d.detector.stats();
  return { incidents: d.incidents!.length, sha256: createHash('sha256').update(json).digest('hex'), detector: { ...st } };
}

const got: Record<string, Outcome> = {};
for (const c of captures()) {
  const t0 = performance.now();
  got[c.name] = await outcome(c.file, c.inventory, c.name);
  console.log(`${c.name}: ${got[c.name].incidents} incidents, sha256 ${got[c.name].sha256.slice(0, 16)}… (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
if (cli.values.write) {
  fs.writeFileSync(REFERENCE, JSON.stringify(got, null, 2) + '\n');
  console.log(`wrote ${path.relative(ROOT, REFERENCE)}`);
} else {
  const want = JSON.parse(fs.readFileSync(REFERENCE, 'utf8')) as Record<string, Outcome>;
  let same = true;
  for (const [name, w] of Object.entries(want)) {
    const g = got[name];
    const ok = g !== undefined && JSON.stringify(g) === JSON.stringify(w);
    if (!ok) same = false;
    console.log(`${name}: ${ok ? 'identical to the reference' : `DIFFERS: got ${JSON.stringify(g)}, reference ${JSON.stringify(w)}`}`);
  }
  if (!same) process.exitCode = 1;
}
