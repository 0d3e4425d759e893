import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../test/helpers/temp-dir.js';
import { INSTALLED_CONFIG, operatorConfigFile } from './queue-access.js';

describe('the operator commands\' configuration', () => {
  const installedIn = (): string => path.join(testTempDir('arpwarden-opcfg-'), 'arpwarden.yaml');

  it('is --config when given, whether or not an installed one is there', () => {
    const installed = installedIn();
    fs.writeFileSync(installed, 'queue: {}\n');
    expect(operatorConfigFile('mine.yaml', installed)).toBe('mine.yaml');
  });

  it('is the installed one when there is one and none is given, else none (the built-in defaults)', () => {
    const installed = installedIn();
    fs.writeFileSync(installed, 'queue: {}\n');
    expect(operatorConfigFile(undefined, installed)).toBe(installed);
    fs.rmSync(installed);
    expect(operatorConfigFile(undefined, installed)).toBeUndefined();
  });

  it('is looked for where scripts/install.sh puts it', () => {
    expect(INSTALLED_CONFIG).toBe('/etc/arpwarden/arpwarden.yaml');
  });
});
