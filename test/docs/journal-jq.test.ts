/**
 * The jq command docs/operations.md gives for reading the journal keeps going past a line that is not JSON: journald
 * cuts a line over its LineMax= (48 KiB; a long exit summary) into several, and a crash's stack trace is plain text.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const operations = readFileSync(join(REPO, 'docs', 'operations.md'), 'utf8');
// jq comes with scripts/setup.sh (as the docs' reader has it): the test does not skip without it
describe('docs/operations.md: the journal through jq', () => {
  it('the warnings after a summary line the journal cut in two, and after a stack trace', () => {
    const m = /`journalctl -u \S+ -o cat \| jq ((?:-\w+ )*)'([^']+)'`/.exec(operations);
    expect(m).not.toBeNull();
    const flags = m![1].trim().split(/\s+/).filter((f) => f !== '');
    const journal = [
      '{"level":"warn","msg":"first"}',
      `{"event":"summary","incidents":[{"id":"${'x'.repeat(100)}`, '"}]}',
      'TypeError: a bug', '    at main (file:///opt/arpwarden/dist/cli/main.js:1:1)',
      '{"level":"warn","msg":"second"}',
    ].join('\n');
    const out = execFileSync('jq', [...flags, '-c', m![2]], { input: journal, encoding: 'utf8' });
    expect(out.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['first', 'second']);
  });
});
