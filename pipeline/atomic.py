"""Atomic writes, the one helper for files and folders: a run killed at any point leaves the old or the new version.

A temporary sibling ``.NAME.tmp-PID-TOKEN`` is written completely, then swapped into place. A run killed at
any point (kill -9 included) leaves either the old or the new version at NAME, never a half-written one;
temporaries of dead runs are removed by the next write with a note. docs/reliability.md explains it.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Callable

from .errors import OutputError

log = logging.getLogger(__name__)

_TMP = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>\d+)(?:-[0-9a-f]+)?$")


def _tmp_sibling(path: Path, kind: str = "tmp") -> Path:
    return path.with_name(f".{path.name}.{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(path: Path) -> list[Path]:
    """Remove temporaries of dead runs beside ``path``; restore ``path`` from a stranded backup."""
    removed: list[Path] = []
    if not path.parent.is_dir():
        return removed
    for p in sorted(path.parent.iterdir()):
        m = _TMP.match(p.name)
        if not m or m["name"] != path.name or _alive(int(m["pid"])):
            continue
        if m["kind"] == "old" and not path.exists() and not path.is_symlink():
            # Killed between the two renames of the fallback swap: the old version goes back.
            os.rename(p, path)
            log.warning("%s: restored from %s left by an interrupted run", path, p.name)
            continue
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() and not p.is_symlink() else p.unlink(missing_ok=True)
        log.warning("%s: removed %s left by an interrupted run (pid %s)", path.parent, p.name, m["pid"])
        removed.append(p)
    return removed


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_in(tmp: Path, out: Path) -> None:
    """Put the complete folder ``tmp`` at ``out``; the old ``out`` stays until the new one is there."""
    for _ in range(5):  # another run may swap at the same moment: retry
        if not out.exists():
            try:
                os.rename(tmp, out)
                return
            except OSError as e:
                if e.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                    raise
                continue
        if _renameat2_exchange(tmp, out):
            shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old version
            return
        # Fallback (no renameat2): two renames; a kill between them is repaired by clean_stale.
        old = _tmp_sibling(out, "old")
        try:
            os.rename(out, old)
        except FileNotFoundError:
            continue
        os.rename(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
        return
    raise OSError(errno.EBUSY, "other runs keep replacing it", str(out))


def atomic_dir(out: Path, build: Callable[[Path], None]) -> Path:
    """Call ``build(tmp)`` on a fresh folder beside ``out``, then swap it in (old results kept until then)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    tmp = _tmp_sibling(out)
    os.mkdir(tmp, 0o777)  # the umask decides, as for any folder the user makes (mkdtemp would give 0700)
    try:
        build(tmp)
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def atomic_write(path: Path, write: Callable[[Path], object] | str | bytes) -> Path:
    """Write one file atomically: ``write(tmp)`` (or the given text/bytes) then ``os.replace``."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; pass a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(path)
    tmp = _tmp_sibling(path)
    try:
        if callable(write):
            write(tmp)
        else:
            tmp.write_bytes(write.encode("utf-8") if isinstance(write, str) else write)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write(path, text)
