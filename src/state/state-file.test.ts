import { promises as fsp, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { testTempDir } from '../../test/helpers/temp-dir.js';
import { StateFile } from './state-file.js';

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
