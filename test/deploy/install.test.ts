/**
 * scripts/install.sh into a throwaway root (--root): the tree, the command, the user in that root's
 * /etc/passwd, the directories and their owners, the units (systemd-analyze verify on the installed ones),
 * and the installed command run as the arpwarden user; then an upgrade, and the uninstall with and without --purge.
 * Root only (it chowns to a system user); in CI, which runs as root, it never skips.
 */
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, inCi } from '../e2e/netns.js';
import { hasSystemdAnalyze, verifyRoot, verifyUnits } from './systemd-analyze.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(REPO, 'scripts', 'install.sh');
const isRoot = process.getuid?.() === 0;

function install(root: string, ...args: string[]): ReturnType<typeof exec> {
  return exec(['bash', SCRIPT, '--root', root, ...args], { timeoutMs: 180_000 });
}

/** The script run with a `chown` that fails: an upgrade cut short after the tree was staged, before the swap. */
function installFailingChown(root: string): ReturnType<typeof exec> {
  const bin = mkdtempSync(join(tmpdir(), 'aw-deploy-failing-'));
  writeFileSync(join(bin, 'chown'), '#!/bin/sh\necho "chown: simulated failure" >&2\nexit 1\n', { mode: 0o755 });
  return exec(['env', `PATH=${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, 'bash', SCRIPT, '--root', root], { timeoutMs: 180_000, allowFailure: true })
    .finally(() => rmSync(bin, { recursive: true, force: true }));
}

/** NAME:x:UID:GID:GECOS:HOME:SHELL of `name` in the root's passwd, or undefined. */
function passwdEntry(root: string, name: string): string[] | undefined {
  const file = join(root, 'etc', 'passwd');
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === name);
}

/** Whether `path` is there, a link included: an enabled unit's link points into the root's /etc, dangling from here. */
function present(path: string): boolean {
  try { lstatSync(path); return true; } catch { return false; }
}

function owner(path: string): { mode: string; uid: number; gid: number } {
  const s = statSync(path);
  return { mode: (s.mode & 0o7777).toString(8), uid: s.uid, gid: s.gid };
}

describe.skipIf(!isRoot && !inCi())('scripts/install.sh', () => {
  let root = '';
  beforeAll(async () => {
    if (!isRoot) throw new Error('the install test needs root (it creates a system user and chowns); CI is set, so it fails instead of skipping');
    root = mkdtempSync(join(tmpdir(), 'aw-deploy-install-'));
    // the arpwarden user must be able to walk down to the installed tree
    chmodSync(root, 0o755);
    // directories the machine has already, in a mode of its own: the install must leave them so
    for (const d of ['opt', 'usr/local/bin']) {
      mkdirSync(join(root, d), { recursive: true });
      chmodSync(join(root, d), 0o711);
    }
    await install(root);
  }, 200_000);
  afterAll(() => { if (root !== '') rmSync(root, { recursive: true, force: true }); });

  it('creates the system user arpwarden in the root, with no shell and its state as home', () => {
    const e = passwdEntry(root, 'arpwarden');
    expect(e?.slice(5)).toEqual(['/var/lib/arpwarden', '/usr/sbin/nologin']);
    expect(Number(e?.[2])).toBeLessThan(1000);
    expect(Number(e?.[2])).toBeGreaterThan(0);
  });

  it('installs the built tree with production dependencies only, and the command as a link to it', () => {
    const app = join(root, 'opt', 'arpwarden');
    for (const f of ['dist/cli/main.js', 'native/build/Release/arpwarden_capture.node', 'package.json', 'node_modules/zod/package.json', 'node_modules/bullmq/package.json', 'docs/operations.md']) {
      expect(existsSync(join(app, f)), f).toBe(true);
    }
    for (const dev of ['vitest', 'typescript', 'tsx', 'playwright-core']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    const bin = join(root, 'usr', 'local', 'bin', 'arpwarden');
    expect(lstatSync(bin).isSymbolicLink()).toBe(true);
    expect(readlinkSync(bin)).toBe('../../../opt/arpwarden/bin/arpwarden');
    expect(owner(join(app, 'dist', 'cli', 'main.js'))).toEqual({ mode: '644', uid: 0, gid: 0 });
  });

  it('leaves the mode of the directories it did not create (/opt, /usr/local/bin)', () => {
    for (const d of ['opt', 'usr/local/bin']) expect(owner(join(root, d)).mode, d).toBe('711');
  });

  it('makes /etc/arpwarden root\'s, readable by the group, /var/lib/arpwarden the user\'s, and writes the examples', () => {
    const [, , uid, gid] = passwdEntry(root, 'arpwarden')!.map(String);
    expect(owner(join(root, 'etc', 'arpwarden'))).toEqual({ mode: '750', uid: 0, gid: Number(gid) });
    expect(owner(join(root, 'var', 'lib', 'arpwarden'))).toEqual({ mode: '750', uid: Number(uid), gid: Number(gid) });
    for (const f of ['arpwarden.yaml', 'inventory.yaml']) expect(owner(join(root, 'etc', 'arpwarden', f))).toEqual({ mode: '640', uid: 0, gid: Number(gid) });
    expect(readFileSync(join(root, 'etc', 'arpwarden', 'arpwarden.yaml'), 'utf8')).toBe(readFileSync(join(REPO, 'config', 'arpwarden.yaml'), 'utf8'));
    expect(readFileSync(join(root, 'usr', 'local', 'lib', 'sysusers.d', 'arpwarden.conf'), 'utf8')).toMatch(/^u arpwarden /m);
    expect(readFileSync(join(root, 'usr', 'local', 'lib', 'tmpfiles.d', 'arpwarden.conf'), 'utf8')).toMatch(/^d \/var\/lib\/arpwarden /m);
  });

  it('installs the units, which systemd-analyze verify passes', async () => {
    for (const u of ['arpwarden-capture@.service', 'arpwarden-worker.service']) {
      expect(readFileSync(join(root, 'etc', 'systemd', 'system', u), 'utf8')).toBe(readFileSync(join(REPO, 'systemd', u), 'utf8'));
    }
    if (!(await hasSystemdAnalyze()) && !inCi()) return;
    // systemd's own units beside ours, so that verify resolves their dependencies; the command is the installed one
    verifyRoot([], root);
    const r = await verifyUnits(root, ['arpwarden-capture@eth1.service', 'arpwarden-worker.service']);
    expect({ code: r.code, output: r.stdout + r.stderr }).toEqual({ code: 0, output: '' });
  });

  it('runs as the arpwarden user: --version, and a replay with the installed example inventory', async () => {
    const [, , uid, gid] = passwdEntry(root, 'arpwarden')!;
    const as = ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', join(root, 'usr', 'local', 'bin', 'arpwarden')];
    expect((await exec([...as, '--version'])).stdout).toBe('0.1.0\n');
    const capture = join(root, 'var', 'lib', 'arpwarden', 'case1.pcap');
    copyFileSync(join(REPO, 'fixtures', 'captures', 'case1-alias-netmask.pcap'), capture);
    const r = await exec([...as, 'replay', capture, '--inventory', join(root, 'etc', 'arpwarden', 'inventory.yaml'), '--format', 'json'], { cwd: '/' });
    expect(r.stdout).toMatch(/"case": "alias-netmask"/);
  });

  it('an upgrade that fails before the swap leaves the installed tree whole and running, and removes its stage', async () => {
    const [, , uid, gid] = passwdEntry(root, 'arpwarden')!;
    const r = await installFailingChown(root);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/^install: stopped before the new tree was in place \(exit 1\): \S+\/opt\/arpwarden is unchanged; run it again$/);
    expect(existsSync(join(root, 'opt', 'arpwarden.new'))).toBe(false);
    expect(existsSync(join(root, 'opt', 'arpwarden', 'node_modules', 'commander', 'package.json'))).toBe(true);
    const as = ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', join(root, 'usr', 'local', 'bin', 'arpwarden')];
    expect((await exec([...as, '--version'])).stdout).toBe('0.1.0\n');
  });

  it('upgrades when run again: the tree replaced, the configuration the user edited kept', async () => {
    const conf = join(root, 'etc', 'arpwarden', 'arpwarden.yaml');
    writeFileSync(conf, 'detector:\n  window_seconds: 30\n');
    writeFileSync(join(root, 'opt', 'arpwarden', 'stale-file'), '');
    const r = await install(root);
    expect(r.stdout).not.toMatch(/wrote the example/);
    // the same lock: the dependencies come from the installed tree, not from npm
    expect(r.stdout).not.toMatch(/installing the production dependencies/);
    expect(readFileSync(conf, 'utf8')).toBe('detector:\n  window_seconds: 30\n');
    expect(existsSync(join(root, 'opt', 'arpwarden', 'stale-file'))).toBe(false);
    expect(existsSync(join(root, 'opt', 'arpwarden', 'node_modules', 'zod'))).toBe(true);
  });

  it('--uninstall removes what it installed and keeps the configuration and the state; --purge removes those and the user', async () => {
    const units = join(root, 'etc', 'systemd', 'system');
    // what an operator adds (docs/operations.md): a shard's copy of the template, drop-ins, enabled instances; and a unit not ours
    copyFileSync(join(units, 'arpwarden-capture@.service'), join(units, 'arpwarden-capture-low@.service'));
    for (const [dir, file] of [['arpwarden-capture-low@eth1.service.d', 'override.conf'], ['arpwarden-worker.service.d', 'override.conf'], ['other.service.d', 'keep.conf']]) {
      mkdirSync(join(units, dir), { recursive: true });
      writeFileSync(join(units, dir, file), '[Service]\n');
    }
    writeFileSync(join(units, 'other.service'), '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n');
    await exec(['systemctl', `--root=${root}`, 'enable', 'arpwarden-capture@eth1.service', 'arpwarden-capture-low@eth2.service', 'arpwarden-worker.service', 'other.service']);
    expect(present(join(units, 'sys-subsystem-net-devices-eth2.device.wants', 'arpwarden-capture-low@eth2.service'))).toBe(true);
    await install(root, '--uninstall');
    for (const p of ['arpwarden-capture-low@.service', 'arpwarden-capture-low@eth1.service.d', 'arpwarden-worker.service.d', 'multi-user.target.wants/arpwarden-capture@eth1.service',
      'multi-user.target.wants/arpwarden-capture-low@eth2.service', 'multi-user.target.wants/arpwarden-worker.service', 'sys-subsystem-net-devices-eth1.device.wants',
      'sys-subsystem-net-devices-eth2.device.wants']) {
      expect(present(join(units, p)), p).toBe(false);
    }
    for (const p of ['other.service', 'other.service.d/keep.conf', 'multi-user.target.wants/other.service']) expect(present(join(units, p)), p).toBe(true);
    for (const p of ['opt/arpwarden', 'usr/local/bin/arpwarden', 'etc/systemd/system/arpwarden-worker.service', 'etc/systemd/system/arpwarden-capture@.service', 'usr/local/lib/sysusers.d/arpwarden.conf']) {
      expect(existsSync(join(root, p)), p).toBe(false);
    }
    expect(existsSync(join(root, 'etc', 'arpwarden', 'arpwarden.yaml'))).toBe(true);
    expect(existsSync(join(root, 'var', 'lib', 'arpwarden'))).toBe(true);
    expect(passwdEntry(root, 'arpwarden')).toBeDefined();
    await install(root, '--uninstall', '--purge');
    expect(existsSync(join(root, 'etc', 'arpwarden'))).toBe(false);
    expect(existsSync(join(root, 'var', 'lib', 'arpwarden'))).toBe(false);
    expect(passwdEntry(root, 'arpwarden')).toBeUndefined();
  });

  it('refuses what it cannot do in one line, exit 2', async () => {
    const r = await exec(['bash', SCRIPT, '--purge'], { allowFailure: true });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: 'install: --purge goes with --uninstall\n' });
    const missing = await exec(['bash', SCRIPT, '--root', join(root, 'nowhere')], { allowFailure: true });
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({ code: 2, stderr: `install: --root ${join(root, 'nowhere')}: no such directory\n` });
  });
});
