/**
 * A command run the way one of our units runs it, without systemd (no PID 1 here, nor in CI's containers):
 * as nobody, with only the capabilities given (ambient and bounding), no new privileges, in a mount namespace
 * shaped like the unit's sandbox (/proc with subset=pid and hidepid=invisible, a /dev of null, zero, full, random
 * and urandom, a private /tmp, / and /sys read-only), under a seccomp filter built from the unit's own
 * SystemCallFilter= and RestrictAddressFamilies= lines (unit-seccomp-exec.py). Needs root, setpriv, unshare.
 */
import { fileURLToPath } from 'node:url';

export const NOBODY = 65534;
const SECCOMP_EXEC = fileURLToPath(new URL('./unit-seccomp-exec.py', import.meta.url));

/** "$1": the capabilities (`,+net_raw` or nothing); the rest: the command. */
const SANDBOX = `set -e
mount -t proc -o subset=pid,hidepid=invisible proc /proc
d=$(mktemp -d)
mount -t tmpfs -o mode=0755 tmpfs "$d"
for n in null zero full random urandom; do touch "$d/$n"; mount --bind "/dev/$n" "$d/$n"; done
mount --move "$d" /dev
mount -t tmpfs tmpfs /tmp
mount -o remount,bind,ro /sys
mount -o remount,bind,ro /
caps="$1"; shift
exec setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups --no-new-privs --inh-caps=-all$caps --ambient-caps=-all$caps --bounding-set=-all$caps "$@"`;

/**
 * The argv that runs `command` so (prefix it with `ip netns exec NS` for a namespace). Each step execs the
 * next, so the pid of the process started is the command's. `caps`: e.g. `['net_raw']`.
 */
export function unitSandboxArgv(unitFile: string, caps: readonly string[], command: readonly string[]): string[] {
  return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', SANDBOX, 'sh', caps.map((c) => `,+${c}`).join(''),
    // Debian's python3 (with libseccomp2): a python3 earlier on PATH may be in a home nobody cannot read
    '/usr/bin/python3', SECCOMP_EXEC, unitFile, ...command];
}
