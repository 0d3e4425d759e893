/**
 * A command run the way one of our units runs it, without systemd (no PID 1 here, nor in CI's containers):
 * as nobody, with only the capabilities given (ambient and bounding), no new privileges, in a mount namespace
 * shaped like the unit's sandbox (/proc with subset=pid and hidepid=invisible, a /dev of null, zero, full, random
 * and urandom, a private /tmp, / and /sys read-only), under a seccomp filter built from the unit's own
 * SystemCallFilter= and RestrictAddressFamilies= lines (unit-seccomp-exec.py). Needs root, setpriv, unshare.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NOBODY = 65534;
const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** what a sandboxed arpwarden reads: the built CLI, its addon and packages, the fixtures, the units, the seccomp helper */
const TREE = ['package.json', 'dist', 'native/build', 'node_modules', 'fixtures', 'systemd', 'test/e2e/unit-seccomp-exec.py'];

/** A checkout nobody can read into (under a 0700 `mktemp -d`), or under /tmp, which the sandbox replaces with its own. */
function hiddenFromSandbox(dir: string): boolean {
  if (dir === '/tmp' || dir.startsWith('/tmp/')) return true;
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) if ((statSync(d).mode & 0o001) === 0) return true;
  return false;
}

/**
 * Where the sandboxed command finds the files it reads: the checkout itself when nobody can reach it there,
 * else a copy (hard links where the file system allows) in a world-readable directory under /var/tmp,
 * removed by `remove()`. CI's clone may be anywhere, a 0700 temporary directory included.
 */
export function sandboxTree(): { root: string; path(rel: string): string; remove(): void } {
  const root = REPO.replace(/\/$/, '');
  if (!hiddenFromSandbox(root)) return { root, path: (rel) => path.join(root, rel), remove: () => {} };
  const copy = mkdtempSync('/var/tmp/aw-sandbox-');
  chmodSync(copy, 0o755);
  for (const rel of TREE) {
    mkdirSync(path.dirname(path.join(copy, rel)), { recursive: true, mode: 0o755 });
    const linked = spawnSync('cp', ['-al', path.join(root, rel), path.join(copy, rel)]);
    if (linked.status !== 0 && spawnSync('cp', ['-a', path.join(root, rel), path.join(copy, rel)]).status !== 0) {
      throw new Error(`cannot copy ${rel} for the sandbox into ${copy}`);
    }
  }
  return { root: copy, path: (rel) => path.join(copy, rel), remove: () => rmSync(copy, { recursive: true, force: true }) };
}

/** "$1": the capabilities (`,+net_raw` or nothing); the rest: the command. */
const SANDBOX = `set -e
mount -t proc -o subset=pid,hidepid=invisible proc /proc
d=$(mktemp -d)
mount -t tmpfs -o mode=0755 tmpfs "$d"
for n in null zero full random urandom; do touch "$d/$n"; mount --bind "/dev/$n" "$d/$n"; done
mount --move "$d" /dev
rmdir "$d"
mount -t tmpfs tmpfs /tmp
mount -o remount,bind,ro /sys
mount -o remount,bind,ro /
caps="$1"; shift
exec setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups --no-new-privs --inh-caps=-all$caps --ambient-caps=-all$caps --bounding-set=-all$caps "$@"`;

/**
 * The argv that runs `command` so (prefix it with `ip netns exec NS` for a namespace). Each step execs the
 * next, so the pid of the process started is the command's. `caps`: e.g. `['net_raw']`.
 */
export function unitSandboxArgv(unitFile: string, caps: readonly string[], command: readonly string[], root: string = REPO): string[] {
  return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', SANDBOX, 'sh', caps.map((c) => `,+${c}`).join(''),
    // Debian's python3 (with libseccomp2): a python3 earlier on PATH may be in a home nobody cannot read
    '/usr/bin/python3', path.join(root, 'test/e2e/unit-seccomp-exec.py'), unitFile, ...command];
}
