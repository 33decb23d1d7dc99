"""Writing files atomically: a reader sees the old file or the new one, never half of one.

Every writer of soslokal goes through here (reports, workbooks, the comment export, the SSB
cache). The data go to a temporary file in the target's folder (same file system, so the
rename is atomic), are flushed to disk, get the mode a new file would get (``0o666`` less the
umask, not the private ``0o600`` of :func:`tempfile.mkstemp`) and replace the target with
:func:`os.replace`. On any error the temporary file is removed and the old file stays as it
was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "write_atomic"]


def _usual_mode() -> int:
    """The mode a newly created file gets: ``0o666`` less the process umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp(path: Path, suffix: str) -> tuple[int, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    return fd, Path(tmp)


def _commit(tmp: Path, path: Path) -> None:
    os.chmod(tmp, _usual_mode())
    os.replace(tmp, path)
    _fsync_folder(path.parent)


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes as they are) to ``path`` atomically; creates
    missing folders. Returns the path."""
    path = Path(path)
    if not isinstance(data, str | bytes):
        raise TypeError(f"write_atomic writes str or bytes, not {type(data).__name__}")
    fd, tmp = _temp(path, ".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        _commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path next to ``path`` (same suffix) for writers that want a file name
    (``openpyxl.Workbook.save``, ``DataFrame.to_excel``); it replaces ``path`` when the block
    ends without an error and is removed otherwise::

        with atomic_path(target) as tmp:
            workbook.save(tmp)
    """
    path = Path(path)
    # same suffix as the target: openpyxl and pandas pick the format from the file name
    fd, tmp = _temp(path, path.suffix or ".tmp")
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:  # the writer may not have synced
            os.fsync(fh.fileno())
        _commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
