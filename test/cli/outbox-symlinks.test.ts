import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

/**
 * Issue 14: a local user who can write into the outbox plants symlinks named after the files a root
 * `replay --outbox` will write, pointing at a root-only file. Nothing outside the outbox may change.
 */
const INV = 'fixtures/inventory.yaml';
const capture = (c: string): string => path.join(ROOT, 'fixtures/captures', c);
const NOBODY = 65534;
const asRoot = process.geteuid?.() === 0;

describe.runIf(asRoot)('replay --outbox as root against planted symlinks', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-hfiles-symlinks-'));
  const vault = path.join(tmp, 'vault');
  const victim = path.join(vault, 'shadow');
  const PRECIOUS = 'root only: must never change\n';
  /** the email file names of the two captures, from a run into a clean outbox */
  const names: Record<string, string> = {};

  const replay = (c: string, dir: string): ReturnType<typeof runCli> => runCli(['replay', capture(c), '--inventory', INV, '--outbox', dir], { timeoutMs: 60_000 });

  /** The attacker's links, owned by nobody: the old predictable `<job id>.eml.<pid>.tmp` for every pid, and guesses at the new names. */
  function plant(dir: string, file: string): number {
    const pidMax = Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    const links = [
      ...Array.from({ length: pidMax }, (_, pid) => `${file}.${pid + 1}.tmp`),
      ...Array.from({ length: 200 }, () => `.${file}.${randomBytes(12).toString('hex')}.tmp`),
    ];
    for (const l of links) {
      fs.symlinkSync(victim, path.join(dir, l));
      fs.lchownSync(path.join(dir, l), NOBODY, NOBODY);
    }
    return links.length;
  }

  const victimUntouched = (): void => {
    expect(fs.readFileSync(victim, 'utf8')).toBe(PRECIOUS);
    expect(fs.statSync(victim).mode & 0o7777).toBe(0o600);
    expect(fs.readdirSync(vault)).toEqual(['shadow']);
  };

  beforeAll(async () => {
    fs.mkdirSync(vault, { mode: 0o700 });
    fs.writeFileSync(victim, PRECIOUS, { mode: 0o600 });
    for (const c of ['case1-alias-netmask.pcap', 'duplicate-ip.pcap']) {
      const clean = path.join(tmp, `clean-${c}`);
      const r = await replay(c, clean);
      expect(r.code).toBe(0);
      const files = fs.readdirSync(clean);
      expect(files).toHaveLength(1);
      expect(fs.statSync(path.join(clean, files[0])).mode & 0o777).toBe(0o600);
      names[c] = files[0];
    }
  }, 120_000);

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('an outbox every user can write into (not sticky) is refused in one line, before anything is written', async () => {
    const dir = path.join(tmp, 'open');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o777);
    plant(dir, names['duplicate-ip.pcap']);
    const before = fs.readdirSync(dir).length;
    const r = await replay('duplicate-ip.pcap', dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`arpwarden: --outbox ${dir}: refused: the directory is writable by every user and not sticky: another user could plant or swap files there`);
    expect(fs.readdirSync(dir)).toHaveLength(before);
    victimUntouched();
  }, 120_000);

  it('a sticky outbox of ours: the old temporary names are ignored, the email written 0600; a planted target is refused and the run fails', async () => {
    const dir = path.join(tmp, 'sticky');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o1777);
    const n = plant(dir, names['duplicate-ip.pcap']);
    const written = await replay('duplicate-ip.pcap', dir);
    // the only line: the notice that the example sender identity is in use (no email.from configured)
    expect(written.stderr.trim().split('\n').filter((l) => l !== '' && !/example identity/.test(l))).toEqual([]);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/^emails: 1 written to /m);
    const eml = path.join(dir, names['duplicate-ip.pcap']);
    expect(fs.lstatSync(eml).isFile()).toBe(true);
    expect(fs.statSync(eml).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(eml, 'utf8')).toMatch(/^Content-Type|^From|^To|^Subject/m);
    // every planted link still there, still a link; nothing else appeared
    expect(fs.readdirSync(dir)).toHaveLength(n + 1);
    victimUntouched();

    // the attacker plants the email's own name
    const target = path.join(dir, names['case1-alias-netmask.pcap']);
    fs.symlinkSync(victim, target);
    fs.lchownSync(target, NOBODY, NOBODY);
    const refused = await replay('case1-alias-netmask.pcap', dir);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toMatch(/^emails: 0 written .*failed 1,/m);
    const lines = refused.stderr.trim().split('\n').filter((l) => !/example identity/.test(l));
    expect(lines[0]).toBe(`arpwarden: outbox: ${target}: ${target} is a symbolic link: refused (someone else may have planted it)`);
    expect(lines[1]).toMatch(new RegExp(`^arpwarden: --outbox ${dir}: 1 email not written \\(last: outbox: `));
    expect(lines).toHaveLength(2);
    expect(fs.lstatSync(target).isSymbolicLink()).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp') && !fs.lstatSync(path.join(dir, f)).isSymbolicLink())).toEqual([]);
    victimUntouched();
  }, 120_000);
});
