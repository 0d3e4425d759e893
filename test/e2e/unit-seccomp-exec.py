#!/usr/bin/env python3
"""Runs a command under a unit's SystemCallFilter= and RestrictAddressFamilies=, without systemd.

usage: unit-seccomp-exec.py UNIT-FILE COMMAND [ARGS...]

The filter is built as systemd builds it: the allow list of the unit's first SystemCallFilter= line
(groups expanded by `systemd-analyze syscall-filter`), minus the `~` lines, every other system call
failing with SystemCallErrorNumber= (EPERM); socket() allowed only for the unit's address families.
Loaded through libseccomp (ctypes: Debian's python has no seccomp module), then the command is exec'd.
The caller must have set no_new_privs (setpriv --no-new-privs).
"""
import ctypes
import errno
import os
import socket
import subprocess
import sys

SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_EQ = 4


def scmp_act_errno(e):
    return 0x00050000 | (e & 0xFFFF)


class ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def directives(unit):
    out = {}
    with open(unit) as f:
        for line in f:
            line = line.strip()
            if line.startswith("#") or "=" not in line:
                continue
            k, v = line.split("=", 1)
            out.setdefault(k, []).append(v)
    return out


def expand(names, seen=None):
    """System call names of a list of names and @groups, recursively."""
    seen = set() if seen is None else seen
    calls = set()
    for n in names:
        if not n.startswith("@"):
            calls.add(n)
            continue
        if n in seen:
            continue
        seen.add(n)
        text = subprocess.run(["systemd-analyze", "syscall-filter", n], check=True, capture_output=True, text=True).stdout
        members = [l.strip() for l in text.splitlines()[1:] if l.strip() and not l.strip().startswith("#")]
        calls |= expand(members, seen)
    return calls


def main():
    unit, argv = sys.argv[1], sys.argv[2:]
    d = directives(unit)
    allow = set()
    for i, v in enumerate(d.get("SystemCallFilter", [])):
        if v.startswith("~"):
            allow -= expand(v[1:].split())
        elif i == 0:
            allow = expand(v.split())
        else:
            allow |= expand(v.split())
    err = getattr(errno, d.get("SystemCallErrorNumber", ["EPERM"])[-1])
    families = [getattr(socket, f) for f in " ".join(d.get("RestrictAddressFamilies", [])).split()]
    if not allow:
        sys.exit("unit-seccomp-exec: %s has no SystemCallFilter= allow list" % unit)

    lib = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(ArgCmp)]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    ctx = lib.seccomp_init(scmp_act_errno(err))
    if not ctx:
        sys.exit("unit-seccomp-exec: seccomp_init failed")
    for name in sorted(allow):
        nr = lib.seccomp_syscall_resolve_name(name.encode())
        if nr < 0:
            continue  # not a system call of this architecture
        if name == "socket" and families:
            for fam in families:
                cmp = (ArgCmp * 1)(ArgCmp(0, SCMP_CMP_EQ, fam, 0))
                if lib.seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, cmp) != 0:
                    sys.exit("unit-seccomp-exec: rule for socket(%d) refused" % fam)
            continue
        if lib.seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 0, None) != 0:
            sys.exit("unit-seccomp-exec: rule for %s refused" % name)
    rc = lib.seccomp_load(ctx)
    if rc != 0:
        sys.exit("unit-seccomp-exec: seccomp_load failed (%d): is no_new_privs set?" % rc)
    os.execvp(argv[0], argv)


main()
