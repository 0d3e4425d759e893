import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clockReads, clockReadsUnder } from '../../scripts/check-clock.js';

const reads = (text: string): string[] => clockReads('src/detect/x.ts', text).map((r) => r.what);

describe('clock check', () => {
  it('flags every way of reading the time', () => {
    const text = [
      'const a = Date.now();',
      'const b = new Date();',
      'const c = new Date;',
      'const d = performance.now();',
      'const e = process.hrtime();',
      'const f = process.hrtime.bigint();',
      'const g = Date();',
      'const clock = Date.now;',
      'const h = globalThis.performance.now();',
      'const i = new globalThis.Date();',
    ].join('\n');
    expect(reads(text)).toEqual([
      'Date.now',
      'new Date()',
      'new Date()',
      'performance.now',
      'process.hrtime',
      'process.hrtime',
      'Date()',
      'Date.now',
      'performance.now',
      'new Date()',
    ]);
  });

  it('gives the line and column of the read', () => {
    expect(clockReads('src/detect/x.ts', 'let t = 0;\n  t = Date.now();\n')).toEqual([
      { file: 'src/detect/x.ts', line: 2, column: 7, what: 'Date.now' },
    ]);
  });

  it('ignores comments, strings and dates built from a value', () => {
    const text = [
      '// Date.now() would read the wall clock: packet time only',
      '/* new Date() */',
      "const s = 'Date.now()';",
      'const t = `performance.now()`;',
      'const u = new Date(packetMs);',
      'const v = Date.UTC(2024, 0, 1);',
      'const w = frame.process.hrtime;',
      'const x = sample.now;',
    ].join('\n');
    expect(reads(text)).toEqual([]);
  });
});

describe('clock check over a tree', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  it('reads detect/ and classify/ at any depth, not their tests nor other folders', () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'arpwarden-clock-'));
    const files: Record<string, string> = {
      'src/detect/rules/deep.ts': 'export const t = Date.now();\n',
      'src/classify/case.ts': '// Date.now()\nexport const d = new Date();\n',
      'src/detect/rules/deep.test.ts': 'const t = Date.now();\n',
      'src/pipeline/live.ts': 'export const t = Date.now();\n',
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    expect(clockReadsUnder(root).map((r) => `${r.file}:${r.line} ${r.what}`)).toEqual([
      'src/detect/rules/deep.ts:1 Date.now',
      'src/classify/case.ts:2 new Date()',
    ]);
  });
});
