import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECRETS } from '../../src/config/secrets.js';

const PAGE = path.join(import.meta.dirname, '..', '..', 'docs', 'configuration.md');

describe('docs/configuration.md lists the secrets', () => {
  it('one row per secret: its variable, its credential and the key it fills', () => {
    const md = readFileSync(PAGE, 'utf8');
    const rows = [...md.matchAll(/^\| `(ARPWARDEN_[A-Z0-9_]+)` \| `([a-z0-9-]+)` \| `([a-z0-9_.]+)` \|/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(SECRETS.map((s) => [s.env, s.credential, s.key]));
  });
});
