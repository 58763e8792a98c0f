"""Sandbox for query workers: the operating system, not the query text, keeps them off the network.

``deny_network()`` installs a seccomp filter (Linux, classic BPF through ``prctl``) that makes
every later ``socket(2)`` call fail with ``EACCES`` in the calling process and in anything it
starts. A worker keeps the connection to its parent (a socket pair made before the filter), so it
still answers, but no query can open a connection, resolve a name or reach any host — whatever a
query's text manages to hide from the refusal scan (``SERVICE`` included). The filter cannot be
removed once installed.

``limit_memory(budget)`` caps the process's data segment (``RLIMIT_DATA``: heap and private
anonymous mappings) at what it uses now plus ``budget`` bytes, so a query that builds a huge
intermediate result fails to allocate instead of taking the machine's memory.

Takes: nothing but the calling process. Gives: ``SandboxError`` where the kernel or the processor
architecture does not allow the filter (the engine then refuses to start).
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import struct
from pathlib import Path

from poa_kg.errors import PoaKgError

# <linux/prctl.h>, <linux/seccomp.h>, <linux/filter.h>, <linux/audit.h>
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_SECCOMP_RET_KILL_PROCESS = 0x80000000
_BPF_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_BPF_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_BPF_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_BPF_RET_K = 0x06  # BPF_RET | BPF_K
_OFFSET_NR = 0  # struct seccomp_data: int nr; __u32 arch; ...
_OFFSET_ARCH = 4
_X32_SYSCALL_BIT = 0x40000000

# architecture → (AUDIT_ARCH_* value, number of socket(2))
_ARCHITECTURES = {
    "x86_64": (0xC000003E, 41),
    "aarch64": (0xC00000B7, 198),
}


class SandboxError(PoaKgError):
    """The worker sandbox cannot be installed on this system."""


def _instruction(code: int, jump_true: int, jump_false: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jump_true, jump_false, k)


def _filter_program(audit_arch: int, socket_number: int, x32: bool) -> bytes:
    """BPF: another architecture's calls kill the process (they could bypass the numbers below);
    x32 calls on x86_64 too; socket(2) fails with EACCES; everything else is allowed."""
    deny = _SECCOMP_RET_ERRNO | errno.EACCES
    program = [
        _instruction(_BPF_LD_W_ABS, 0, 0, _OFFSET_ARCH),
        _instruction(_BPF_JEQ_K, 1, 0, audit_arch),
        _instruction(_BPF_RET_K, 0, 0, _SECCOMP_RET_KILL_PROCESS),
        _instruction(_BPF_LD_W_ABS, 0, 0, _OFFSET_NR),
    ]
    if x32:
        program += [
            _instruction(_BPF_JGE_K, 0, 1, _X32_SYSCALL_BIT),
            _instruction(_BPF_RET_K, 0, 0, _SECCOMP_RET_KILL_PROCESS),
        ]
    program += [
        _instruction(_BPF_JEQ_K, 0, 1, socket_number),
        _instruction(_BPF_RET_K, 0, 0, deny),
        _instruction(_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW),
    ]
    return b"".join(program)


def deny_network() -> None:
    """Forbid this process (and its children) to create sockets, for the rest of its life.

    Raises:
        SandboxError: not Linux, an architecture without a known filter, or a kernel that
            refuses seccomp filters.
    """
    machine = platform.machine().lower()
    if platform.system() != "Linux" or machine not in _ARCHITECTURES:
        raise SandboxError(
            f"query workers need a seccomp network filter, available on Linux x86_64 and "
            f"aarch64; this is {platform.system()} {machine}"
        )
    audit_arch, socket_number = _ARCHITECTURES[machine]
    code = _filter_program(audit_arch, socket_number, x32=machine == "x86_64")
    count = len(code) // 8
    instructions = ctypes.create_string_buffer(code, len(code))

    class _Program(ctypes.Structure):
        _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_void_p))

    program = _Program(count, ctypes.addressof(instructions))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = (ctypes.c_int, *[ctypes.c_ulong] * 4)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(f"prctl(NO_NEW_PRIVS) failed: {os.strerror(ctypes.get_errno())}")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(program), 0, 0) != 0:
        raise SandboxError(f"seccomp filter refused: {os.strerror(ctypes.get_errno())}")


def data_size() -> int:
    """Bytes this process holds in its data segment now (``VmData``)."""
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def resident_size() -> int:
    """Bytes of this process's memory resident now (``VmRSS``)."""
    with Path("/proc/self/statm").open(encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def lift_memory_limit() -> None:
    """Raise the data segment's cap back to the hard limit (before a store is opened again)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (hard, hard))


def limit_memory(budget: int) -> int:
    """Cap the data segment at what it holds now plus ``budget`` bytes; returns the cap."""
    cap = data_size() + budget
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    return cap
