/**
 * Issue 8's allocation budget as a check: steady-state detection (decode + detect + classify + incidents,
 * senders tracked and incidents open) allocates at most DETECTION_BUDGET_BYTES_PER_FRAME bytes a frame.
 * Measured as `npm run bench:detect` does (bench/alloc-budget.ts, bench/README.md "Allocation budget"),
 * in a child process of its own: the figure is only what a daemon runs when the process has one frame handler.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DETECTION_BUDGET_BYTES_PER_FRAME } from '../../bench/alloc-budget.js';
import { captureParams, ensureDetectCapture, ensureInventory, inventoryParams } from '../../bench/detect-capture.js';

function steadyBytesPerFrame(capture: string, inventory: string): { bytes: number; status: number | null; output: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/detect-child.ts', 'alloc', '--stage', 'detection', '--capture', capture, '--inventory', inventory], {
    encoding: 'utf8', maxBuffer: 1 << 20,
  });
  const output = `${r.stdout}${r.stderr}`;
  const m = /steady state .*?([\d.]+) bytes\/frame/.exec(output);
  return { bytes: m === null ? Number.NaN : Number(m[1]), status: r.status, output };
}

describe(`steady-state detection allocates at most ${DETECTION_BUDGET_BYTES_PER_FRAME} bytes per frame`, () => {
  it('on a generated capture (200,000 frames of 20,000 servers, 1 in 4 active, the offenders of every case)', () => {
    const inv = inventoryParams(20_000);
    const inventory = ensureInventory(inv).file;
    const capture = ensureDetectCapture(captureParams(inv, 200_000)).file;
    // best of up to 3 children: what V8 chooses to inline differs from process to process, and one process in
    // twenty or so boxes a number the others do not (bench/README.md, "Allocation budget"); the code's steady state
    // is what the best of them shows, as every timing here is a best of N
    const runs: ReturnType<typeof steadyBytesPerFrame>[] = [];
    for (let i = 0; i < 3; i++) {
      runs.push(steadyBytesPerFrame(capture, inventory));
      if (runs[i].bytes <= DETECTION_BUDGET_BYTES_PER_FRAME) break;
    }
    const best = runs.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    const all = runs.map((r) => r.bytes).join(', ');
    expect(best.bytes, `runs: ${all}\n${best.output}`).toBeLessThanOrEqual(DETECTION_BUDGET_BYTES_PER_FRAME);
    expect(best.status, best.output).toBe(0);
  });
});
