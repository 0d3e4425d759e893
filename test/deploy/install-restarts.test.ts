/**
 * Which units scripts/install.sh restarts on an upgrade and stops on an uninstall: every unit that runs the installed
 * tree, the shards' copies of the template included (docs/operations.md, "Scaling out"). Read from the script: it calls
 * systemctl only for the machine's own systemd, which a test cannot give it (install.test.ts installs under --root).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const script = readFileSync(join(REPO, 'scripts', 'install.sh'), 'utf8');
const operations = readFileSync(join(REPO, 'docs', 'operations.md'), 'utf8');

/** bash's glob as a RegExp (only * is used) */
const globRe = (g: string): RegExp => new RegExp(`^${g.split('*').map((p) => p.replace(/[.@]/g, '\\$&')).join('.*')}$`);

describe('scripts/install.sh: the units an upgrade restarts', () => {
  const list = /^running_units=\(([^)]*)\)$/m.exec(script)?.[1].split(/\s+/).map((w) => w.replace(/^'|'$/g, '')) ?? [];

  it('the upgrade\'s try-restart and the uninstall\'s stop take the one list', () => {
    expect(script).toMatch(/systemctl try-restart "\$\{running_units\[@\]\}"/);
    expect(script).toMatch(/systemctl list-units [^\n]*"\$\{running_units\[@\]\}"/);
    expect(script).not.toMatch(/try-restart '/);
  });

  it('the list holds an instance of the template, of a shard\'s copy (named as docs/operations.md names them) and the worker', () => {
    const shard = /arpwarden-capture-\$part@\.service/.test(operations) ? 'arpwarden-capture-low@eth1.service' : null;
    expect(shard).not.toBeNull();
    for (const unit of ['arpwarden-capture@eth1.service', shard!, 'arpwarden-worker.service']) {
      expect(list.some((g) => globRe(g).test(unit)), unit).toBe(true);
    }
  });
});
