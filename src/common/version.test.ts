import fs from 'node:fs';
import { expect, it } from 'vitest';
import { ARPWARDEN_VERSION } from './version.js';

it('is package.json\'s version', () => {
  expect(ARPWARDEN_VERSION).toBe((JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string }).version);
});
