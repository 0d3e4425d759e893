import { promises as fsp, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { testTempDir } from '../../test/helpers/temp-dir.js';
import { StateFile } from './state-file.js';
import { SET_ASIDE_TTL_MS } from './state-store.js';

describe('StateFile.load: a file that is not ours', () => {
  it('cannot be set aside (its directory not writable): one line in our words, no library message', async () => {
    const file = join(testTempDir('aw-state-file-'), 'capture-span0.json');
    writeFileSync(file, '{"version":1,');
    const denied = Object.assign(new Error(`EACCES: permission denied, rename '${file}' -> '${file}.bad-1'`), { code: 'EACCES' });
    const rename = vi.spyOn(fsp, 'rename').mockRejectedValueOnce(denied);
    try {
      await expect(new StateFile(file).load()).rejects.toThrow(new Error(`state file ${file}: not usable (not JSON (cut short?)) and cannot be set aside: permission denied`));
    } finally {
      rename.mockRestore();
    }
  });
});

describe('StateFile.load: the files set aside', () => {
  it('are kept SET_ASIDE_TTL_MS (as Redis keeps its keys), then removed at a load; another file\'s and other names stay', async () => {
    const dir = testTempDir('aw-state-file-');
    const file = join(dir, 'capture-span0.json');
    const now = Date.now();
    const old = `${file}.bad-${now - SET_ASIDE_TTL_MS - 60_000}`;
    const recent = `${file}.bad-${now - SET_ASIDE_TTL_MS + 3_600_000}`;
    const otherDaemons = join(dir, `capture-span1.json.bad-${now - SET_ASIDE_TTL_MS - 60_000}`);
    const notOurs = [`${file}.bad-notes`, `${file}.bad-`, `${file}.bad-0x1f`, `${file}.bad-1e3`];
    for (const f of [old, recent, otherDaemons, ...notOurs]) writeFileSync(f, '{');
    writeFileSync(file, '{"version":1,');
    const r = await new StateFile(file).load();
    expect(r.kind).toBe('set_aside');
    const left = (await fsp.readdir(dir)).sort();
    const movedTo = r.kind === 'set_aside' ? r.movedTo : '';
    expect(left).toEqual([movedTo, recent, ...notOurs, otherDaemons].map((f) => f.slice(dir.length + 1)).sort());
  });
});
