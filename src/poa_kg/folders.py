"""Folders published whole: staged beside their target, switched in by one atomic step, and the
leftovers of killed runs cleaned up.

Takes folder paths; gives nothing but the switch. ``replace_folder(staging, target)`` exchanges
the two folders with ``renameat2(RENAME_EXCHANGE)`` (Linux ≥ 3.15), so ``target`` is at every
instant either the old folder or the new one, never missing; where the file system cannot
exchange, it falls back to two renames and ``recover`` puts the old folder back if a run died
between them. ``staging_folder`` names staging folders with the process id, so
``clean_leftovers`` removes only those of processes that no longer run.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_folder(target: Path, kind: str) -> Path:
    """A new empty folder beside ``target``: ``.{name}.{kind}-{pid}-{random}``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}.{kind}-{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)
    renameat2.argtypes += (ctypes.c_uint,)
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def replace_folder(staging: Path, target: Path) -> None:
    """Make ``staging`` the folder at ``target`` in one step and remove the old one."""
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)  # now holds the old folder
        return
    old = staging_folder(target, "old")
    old.rmdir()
    target.rename(old)
    staging.rename(target)  # a kill between the two renames is undone by recover()
    shutil.rmtree(old)


def recover(target: Path) -> None:
    """Put the old folder back where a run died between the two renames of the fallback."""
    if target.exists():
        return
    olds = sorted(target.parent.glob(f".{target.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if olds:
        olds[-1].rename(target)


def clean_leftovers(target: Path) -> list[Path]:
    """Remove the staging folders of ``target`` left by processes that no longer run."""
    removed = []
    for leftover in target.parent.glob(f".{target.name}.*-*-*"):
        pid_text = leftover.name.rsplit("-", 2)[-2]
        if not pid_text.isdigit() or _running(int(pid_text)) or not leftover.is_dir():
            continue
        shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        if state and state[0] == "Z":  # a zombie runs nothing
            return False
    return True
