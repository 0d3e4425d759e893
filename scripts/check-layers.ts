/**
 * `npm run lint:layers`: the layering rules of src/ (issue 8). dependency-cruiser checks the import rules
 * of .dependency-cruiser.cjs; over its result this adds the cycles between folders, then the clock check
 * of detect/ and classify/. Prints one line per violation and exits 1 if there is any.
 * Usage: tsx scripts/check-layers.ts [ROOT]   (ROOT: a tree with src/ and tsconfig.json to check with this repo's rules; default: this repo)
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ICruiseResult } from 'dependency-cruiser';
import { clockReadsUnder, formatClockReads } from './check-clock.js';
import { folderCycles, formatFolderCycles } from './check-folder-cycles.js';

const REPO = path.join(import.meta.dirname, '..');
const DEPCRUISE = path.join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
/** The rules: always this repository's, also when checking another tree (the tests' tiny trees). */
export const RULES = path.join(REPO, '.dependency-cruiser.cjs');

export interface LayersReport {
  violations: string[];
  modulesCruised: number;
}

export function checkLayers(root: string): LayersReport {
  const result = cruise(root);
  const imports = result.summary.violations.map((v) => {
    const via = v.via && v.via.length > 1 ? ` (via ${v.via.map((m) => m.name).join(' → ')})` : '';
    return `${v.rule.severity} ${v.rule.name}: ${v.from} → ${v.to}${via}`;
  });
  const violations = [
    ...imports,
    ...formatFolderCycles(folderCycles(result.modules)),
    ...formatClockReads(clockReadsUnder(root)),
  ];
  return { violations, modulesCruised: result.summary.totalCruised };
}

function cruise(root: string): ICruiseResult {
  const args = [DEPCRUISE, 'src', '--config', RULES, '--output-type', 'json'];
  const json = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(json) as ICruiseResult;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = path.resolve(process.argv[2] ?? REPO);
  const { violations, modulesCruised } = checkLayers(root);
  for (const line of violations) console.log(line);
  if (violations.length > 0) {
    console.log(`lint:layers: ${violations.length} violation(s) in ${modulesCruised} modules`);
    process.exit(1);
  }
  console.log(`lint:layers: ok (${modulesCruised} modules)`);
}
