import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileModeFor, isOurFile, prepareSafeDir, safeWriteFile, temporaryName, unsafeDirReason } from './safe-write.js';
import { UserError } from './user-error.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-hfiles-safe-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const leftovers = (dir: string): string[] => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('safeWriteFile', () => {
  it('writes the file whole, mode 0600 whatever the umask, and leaves no temporary file', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'w-'));
    const file = path.join(dir, 'a.eml');
    const old = process.umask(0);
    try {
      expect(await safeWriteFile(file, Buffer.from('hello'), { keepExisting: true })).toBe('written');
    } finally {
      process.umask(old);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('hello');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
    expect(await safeWriteFile(path.join(dir, 'b.eml'), Buffer.from('x'), { keepExisting: true, mode: 0o640 })).toBe('written');
    expect(fs.statSync(path.join(dir, 'b.eml')).mode & 0o777).toBe(0o640);
  });

  it('a file given in pieces is written whole and in order, past the MiB it writes at a time', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'p-'));
    const file = path.join(dir, 'state.json');
    const pieces = Array.from({ length: 700 }, (_, i) => Buffer.alloc(3001 + (i % 7), String.fromCharCode(97 + (i % 26))));
    fs.writeFileSync(file, 'old, longer than nothing');
    expect(await safeWriteFile(file, pieces, { keepExisting: false })).toBe('written');
    expect(fs.readFileSync(file).equals(Buffer.concat(pieces))).toBe(true);
    expect(await safeWriteFile(path.join(dir, 'empty'), [], { keepExisting: false })).toBe('written');
    expect(fs.readFileSync(path.join(dir, 'empty')).length).toBe(0);
    expect(leftovers(dir)).toEqual([]);
  });

  it('keepExisting leaves a file there as it is; otherwise replaces it', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'k-'));
    const file = path.join(dir, 'a.eml');
    fs.writeFileSync(file, 'first');
    expect(await safeWriteFile(file, Buffer.from('second'), { keepExisting: true })).toBe('exists');
    expect(fs.readFileSync(file, 'utf8')).toBe('first');
    expect(await safeWriteFile(file, Buffer.from('second'), { keepExisting: false })).toBe('written');
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
    expect(leftovers(dir)).toEqual([]);
  });

  it('refuses a target that is a symlink, in either mode, and writes nothing through it', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 's-'));
    const victim = path.join(tmp, 'victim-s');
    fs.writeFileSync(victim, 'precious');
    const file = path.join(dir, 'a.eml');
    fs.symlinkSync(victim, file);
    for (const keepExisting of [true, false]) {
      await expect(safeWriteFile(file, Buffer.from('evil'), { keepExisting })).rejects.toThrow(/is a symbolic link: refused/);
    }
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  });

  it.runIf(process.geteuid?.() === 0)('another user\'s file under the name is neither taken for ours nor replaced; a directory neither', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'o-'));
    const file = path.join(dir, 'a.eml');
    fs.writeFileSync(file, 'planted');
    fs.chownSync(file, 65534, 65534);
    await expect(isOurFile(file)).rejects.toThrow(`${file} is there, owned by uid 65534, not by us: refused (someone else may have planted it)`);
    await expect(safeWriteFile(file, Buffer.from('x'), { keepExisting: true })).rejects.toThrow(/owned by uid 65534, not by us: refused/);
    expect(fs.readFileSync(file, 'utf8')).toBe('planted');
    fs.mkdirSync(path.join(dir, 'b.eml'));
    await expect(isOurFile(path.join(dir, 'b.eml'))).rejects.toThrow(/is there and is not a file: refused/);
    expect(await isOurFile(path.join(dir, 'none.eml'))).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it('temporary names are unguessable: never the same twice, in the target\'s directory', () => {
    const names = new Set(Array.from({ length: 100 }, () => temporaryName('/d/x.eml')));
    expect(names.size).toBe(100);
    for (const n of names) expect(n).toMatch(/^\/d\/\.x\.eml\.[0-9a-f]{24}\.tmp$/);
  });

  it('a failed write leaves no temporary file and says why', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'f-'));
    // a directory where the file should go: rename(2) fails (EISDIR) after the temporary file was written
    fs.mkdirSync(path.join(dir, 'a.eml'));
    fs.writeFileSync(path.join(dir, 'a.eml', 'inside'), 'x');
    await expect(safeWriteFile(path.join(dir, 'a.eml'), Buffer.from('x'), { keepExisting: false })).rejects.toThrow();
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('directories another user could write into', () => {
  const st = (mode: number, uid: number): fs.Stats => ({ mode: fs.constants.S_IFDIR | mode, uid }) as fs.Stats;

  it('unsafeDirReason: ours and 0700/0755 is safe; group- or world-writable only when sticky and ours', () => {
    expect(unsafeDirReason(st(0o700, 1000), 1000, true)).toBeNull();
    expect(unsafeDirReason(st(0o755, 0), 1000, false)).toBeNull();
    expect(unsafeDirReason(st(0o777, 1000), 1000, true)).toMatch(/^writable by every user and not sticky/);
    expect(unsafeDirReason(st(0o770, 1000), 1000, true)).toMatch(/^writable by its group and not sticky/);
    expect(unsafeDirReason(st(0o1777, 1000), 1000, true)).toBeNull();
    // /tmp: sticky, root's; fine above the outbox, not as the outbox itself
    expect(unsafeDirReason(st(0o1777, 0), 1000, false)).toBeNull();
    expect(unsafeDirReason(st(0o1777, 0), 1000, true)).toMatch(/writable by every user: /);
    expect(unsafeDirReason(st(0o755, 1001), 1000, true)).toMatch(/^owned by uid 1001/);
  });

  it('fileModeFor: 0640 in a setgid directory (its group chosen), 0600 otherwise', () => {
    expect(fileModeFor(0o2750)).toBe(0o640);
    expect(fileModeFor(0o700)).toBe(0o600);
  });

  it('prepareSafeDir makes missing directories 0700 and refuses a world-writable one in one line', () => {
    const made = path.join(tmp, 'p', 'q');
    const { dir, stat } = prepareSafeDir(made, '--outbox X', 'the emails');
    expect(dir).toBe(fs.realpathSync(made));
    expect(stat.mode & 0o777).toBe(0o700);
    const open = path.join(tmp, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    expect(() => prepareSafeDir(open, '--outbox X', 'the emails')).toThrow(new UserError('--outbox X: refused: the directory is writable by every user and not sticky: another user could plant or swap files there'));
    expect(() => prepareSafeDir(path.join(open, 'inner'), '--outbox Y', 'the emails')).toThrow(/^--outbox Y: refused: .*open is writable by every user and not sticky/);
  });

  it('a path that cannot be a directory is one line at once, not a loop (/proc/x)', () => {
    const t0 = Date.now();
    expect(() => prepareSafeDir('/proc/x', '--outbox /proc/x', 'the emails')).toThrow(new UserError('--outbox /proc/x: cannot be created there'));
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
