#!/usr/bin/env python3
"""Runs a command under the SystemCallFilter=, SystemCallErrorNumber= and MemoryDenyWriteExecute=
settings of a systemd unit, installed the way systemd 252 installs them (two seccomp filters), but
without systemd. The integration tests use it to check that the Swift binary tolerates the
hardening of deploy/systemd/uptime-bridge.service.

    systemd_exec_filter.py UNIT_FILE -- COMMAND [ARGUMENT...]

Semantics followed (systemd's load-fragment.c and seccomp-util.c):
- the first SystemCallFilter= line decides: an allow-list (plus the always-permitted @default) or a
  deny-list; later "~" lines remove from an allow-list, plain lines add to it;
- a call outside the allow-list fails with SystemCallErrorNumber= (here EPERM) instead of killing;
- MemoryDenyWriteExecute=yes: mmap with PROT_WRITE|PROT_EXEC, mprotect/pkey_mprotect adding
  PROT_EXEC and shmat with SHM_EXEC fail with EPERM.
Groups are expanded with `systemd-analyze syscall-filter`, so they match the installed systemd.
"""
import ctypes
import errno
import os
import subprocess
import sys

SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_MASKED_EQ = 7
PROT_WRITE, PROT_EXEC = 0x2, 0x4
SHM_EXEC = 0o100000


def scmp_act_errno(number):
    return 0x00050000 | (number & 0xFFFF)


class ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def expand(name, seen=None):
    """The system call names of a group (recursively) or of a single name."""
    seen = set() if seen is None else seen
    if not name.startswith("@"):
        return {name}
    if name in seen:
        return set()
    seen.add(name)
    output = subprocess.run(
        ["systemd-analyze", "syscall-filter", name], check=True, capture_output=True, text=True
    ).stdout
    names = set()
    for line in output.splitlines()[1:]:
        entry = line.strip()
        if entry and not entry.startswith("#"):
            names |= expand(entry, seen)
    return names


def unit_settings(path):
    settings = []
    section = ""
    with open(path) as unit:
        for raw in unit:
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                section = line.strip("[]")
            elif section == "Service" and "=" in line:
                key, value = line.split("=", 1)
                settings.append((key.strip(), value.strip()))
    return settings


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__)
    settings = unit_settings(sys.argv[1])
    command = sys.argv[3:]
    lib = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(ArgCmp)]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_attr_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint32]

    error_number = errno.EPERM
    allow, deny, allow_list = set(), set(), None
    for key, value in settings:
        if key == "SystemCallErrorNumber":
            error_number = getattr(errno, value)
        elif key == "SystemCallFilter":
            invert = value.startswith("~")
            names = set().union(*(expand(n) for n in value.lstrip("~").split()))
            if allow_list is None:
                allow_list = not invert
                if allow_list:
                    allow |= expand("@default")
            if allow_list:
                allow = allow - names if invert else allow | names
            else:
                deny = deny | names if invert else deny - names

    def rule(ctx, action, name, conditions=()):
        number = lib.seccomp_syscall_resolve_name(name.encode())
        if number < 0:
            return  # not a system call of this architecture
        array = (ArgCmp * max(1, len(conditions)))(*conditions)
        if lib.seccomp_rule_add_array(ctx, action, number, len(conditions), array) != 0:
            sys.exit(f"seccomp_rule_add({name}) failed")

    # As systemd does: the memory filter first, the system call filter last (it may deny seccomp()).
    filters = []
    if ("MemoryDenyWriteExecute", "yes") in settings:
        ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
        wx = PROT_WRITE | PROT_EXEC
        rule(ctx, scmp_act_errno(errno.EPERM), "mmap", [ArgCmp(2, SCMP_CMP_MASKED_EQ, wx, wx)])
        for name in ("mprotect", "pkey_mprotect"):
            rule(ctx, scmp_act_errno(errno.EPERM), name, [ArgCmp(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC)])
        rule(ctx, scmp_act_errno(errno.EPERM), "shmat", [ArgCmp(2, SCMP_CMP_MASKED_EQ, SHM_EXEC, SHM_EXEC)])
        filters.append(ctx)
    if allow_list is not None:
        ctx = lib.seccomp_init(scmp_act_errno(error_number) if allow_list else SCMP_ACT_ALLOW)
        for name in sorted(allow if allow_list else deny):
            rule(ctx, SCMP_ACT_ALLOW if allow_list else scmp_act_errno(error_number), name)
        filters.append(ctx)
    if not filters:
        sys.exit(f"{sys.argv[1]}: no SystemCallFilter= and no MemoryDenyWriteExecute=yes")
    for ctx in filters:
        lib.seccomp_attr_set(ctx, 9, 1)  # SCMP_FLTATR_API_SYSRAWRC: report the kernel's errno
        result = lib.seccomp_load(ctx)
        if result != 0:
            sys.exit(f"seccomp_load failed: {os.strerror(-result)}")
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
