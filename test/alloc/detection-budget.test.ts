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
    const r = steadyBytesPerFrame(capture, inventory);
    expect(r.bytes, r.output).toBeLessThanOrEqual(DETECTION_BUDGET_BYTES_PER_FRAME);
    expect(r.status, r.output).toBe(0);
  });
});
