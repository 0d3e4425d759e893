import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLayers } from '../../scripts/check-layers.js';

const REPO = path.join(import.meta.dirname, '..', '..');

/** A tiny tree with src/, a tsconfig.json and the repo's node_modules (a link: the cruiser names its real path), checked with the repo's rules. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'arpwarden-layers-'));
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src'] }),
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

/** A layered tree that keeps every rule: each test below adds one breach to it. */
const LAYERED: Record<string, string> = {
  'src/common/ip.ts': 'export const ip = (s: string): number => s.length;\n',
  'src/decode/packet.ts': "import { ip } from '../common/ip.js';\nexport const decode = (s: string): number => ip(s);\n",
  'src/config/load.ts': "import fs from 'node:fs';\nexport const load = (f: string): string => fs.readFileSync(f, 'utf8');\n",
  'src/config/schema.ts': 'export interface DetectorConfig { window: number }\n',
  'src/inventory/model.ts': "export type Locale = 'en' | 'fr';\nexport const LOCALES: Locale[] = ['en', 'fr'];\n",
  'src/detect/detector.ts': [
    "import type { DetectorConfig } from '../config/schema.js';",
    "import { decode } from '../decode/packet.js';",
    '// Date.now() is not for detection: packet time only',
    'export const detect = (c: DetectorConfig, s: string, packetMs: number): Date => new Date(packetMs + c.window + decode(s));',
    '',
  ].join('\n'),
  'src/classify/classify.ts': "import { detect } from '../detect/detector.js';\nexport const classify = (): Date => detect({ window: 1 }, 'x', 0);\n",
  'src/email/job.ts': "import type { Locale } from '../inventory/model.js';\nexport interface Job { locale: Locale }\n",
  'src/worker/render.ts': "import type { Job } from '../email/job.js';\nimport type { Locale } from '../inventory/model.js';\nexport const render = (j: Job): Locale => j.locale;\n",
  'src/cli/worker.ts': "import { render } from '../worker/render.js';\nexport const run = (): string => render({ locale: 'en' });\n",
  'src/decode/packet.test.ts': "import fs from 'node:fs';\nimport { run } from '../cli/worker.js';\nexport const t = [fs, run, Date.now()];\n",
};

describe('lint:layers', () => {
  const roots: string[] = [];
  const check = (breach: Record<string, string>): string[] => {
    const root = tree({ ...LAYERED, ...breach });
    roots.push(root);
    return checkLayers(root).violations;
  };
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  let layered: ReturnType<typeof checkLayers>;
  beforeAll(() => {
    const root = tree(LAYERED);
    roots.push(root);
    layered = checkLayers(root);
  });

  it('passes a layered tree, tests beside the code importing anything', () => {
    expect(layered.violations).toEqual([]);
    expect(layered.modulesCruised).toBeGreaterThan(10);
  });

  it('decode imports only common: not a builtin, not another stage', () => {
    const v = check({ 'src/decode/file.ts': "import fs from 'node:fs';\nimport { DetectorConfig } from '../config/schema.js';\nexport const f = [fs];\nexport type C = DetectorConfig;\n" });
    expect(v).toEqual(['error decode-imports-only-common: src/decode/file.ts → fs', 'error decode-imports-only-common: src/decode/file.ts → src/config/schema.ts']);
  });

  it('common imports no stage, and a folder cycle names both directions', () => {
    const v = check({ 'src/common/cidr.ts': "import { decode } from '../decode/packet.js';\nexport const c = decode;\n" });
    expect(v).toEqual([
      'error common-imports-no-stage: src/common/cidr.ts → src/decode/packet.ts',
      'error no-folder-cycle: src/common/cidr.ts → src/decode/packet.ts (folders common ⇄ decode)',
      'error no-folder-cycle: src/decode/packet.ts → src/common/ip.ts (folders common ⇄ decode)',
    ]);
  });

  it('detect and classify reach no I/O, even through another module, nor a clock under another name', () => {
    const v = check({
      'src/classify/noise.ts': [
        "import { load } from '../config/load.js';",
        "import type { Redis } from 'ioredis';",
        "import { performance as p } from 'node:perf_hooks';",
        'export const n = [load, p];',
        'export type R = Redis;',
        '',
      ].join('\n'),
    });
    expect(v).toContain('error detect-classify-no-io: src/classify/noise.ts → perf_hooks');
    expect(v).toContain('error detect-classify-no-io: src/classify/noise.ts → fs (via src/config/load.ts → fs)');
    expect(v.find((l) => /^error detect-classify-no-io: src\/classify\/noise\.ts → .*node_modules\/ioredis\//.test(l))).toBeDefined();
    expect(v).toHaveLength(3);
  });

  it('detect and classify read no clock; a comment saying Date.now() does not count', () => {
    const v = check({ 'src/detect/rules/late.ts': '// not Date.now()\nexport const late = (): number => Date.now();\n' });
    expect(v).toEqual(['error no-clock-in-detection: src/detect/rules/late.ts:2:35 reads the clock (Date.now)']);
  });

  it('only the cli imports the worker', () => {
    const v = check({ 'src/sinks/outbox-sink.ts': "import { render } from '../worker/render.js';\nexport const s = render;\n" });
    expect(v).toEqual(['error worker-internals-private: src/sinks/outbox-sink.ts → src/worker/render.ts']);
  });

  it('the worker imports neither capture nor incidents, and the inventory only for types', () => {
    const v = check({
      'src/capture/source.ts': 'export const open = (): number => 1;\n',
      'src/incidents/incident.ts': 'export interface Incident { id: number }\n',
      'src/worker/bad.ts': [
        "import { open } from '../capture/source.js';",
        "import type { Incident } from '../incidents/incident.js';",
        "import { LOCALES } from '../inventory/model.js';",
        'export const b = (i: Incident): number => open() + i.id + LOCALES.length;',
        '',
      ].join('\n'),
    });
    expect(v).toEqual([
      'error worker-imports-only-email-side: src/worker/bad.ts → src/capture/source.ts',
      'error worker-imports-only-email-side: src/worker/bad.ts → src/incidents/incident.ts',
      'error worker-inventory-types-only: src/worker/bad.ts → src/inventory/model.ts',
    ]);
  });

  it('a cycle through type-only imports counts', () => {
    const v = check({ 'src/config/schema.ts': "import type { detect } from '../detect/detector.js';\nexport interface DetectorConfig { window: number }\nexport type D = typeof detect;\n" });
    expect(v).toEqual([
      'error no-folder-cycle: src/config/schema.ts → src/detect/detector.ts (folders config ⇄ detect)',
      'error no-folder-cycle: src/detect/detector.ts → src/config/schema.ts (folders config ⇄ detect)',
    ]);
  });

  it('an import it cannot resolve fails rather than passing unchecked', () => {
    const v = check({ 'src/detect/typo.ts': "import { x } from '../comon/ip.js';\nexport const y = x;\n" });
    expect(v).toEqual(['error no-unresolvable: src/detect/typo.ts → ../comon/ip.js']);
  });
});
