"""Parsed copies of source files: a dataset is parsed once, then read back as Arrow IPC.

A copy is named by what it holds and the sha256 of the source's bytes, so an edited or
re-fetched source is parsed afresh, never served stale. Copies live under the user data
directory (``cache/``) with the sha256 of their own bytes; one whose bytes no longer match (damaged
or edited) is parsed again, one that cannot be written is skipped.

Hashing a source on every use would cost more than reading its copy, so a source's digest is
remembered with its file status (device, inode, size, modification and change times). It is
reused only while that status is unchanged and the last change came at least
:data:`SETTLED` before the hashing: any write to the file moves its change time, which no
program can set back, and a write in the same clock tick as the hashing is caught by the margin.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from .config import data_dir

SETTLED = 2_000_000_000  # ns


def _cache_dir() -> Path:
    return data_dir() / "cache"


def _write_atomically(path: Path, write: Callable[[str], None]) -> None:
    """``write(temporary name)`` then rename it to ``path``: the file appears whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def digest(source: Path) -> str:
    """The sha256 of ``source``'s bytes, remembered across calls while the file stays unchanged."""
    source = Path(source).resolve()
    st = source.stat()
    status = f"{st.st_dev} {st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"
    memo = _cache_dir() / "digests" / hashlib.sha256(str(source).encode()).hexdigest()
    try:
        remembered, hashed_at, value = memo.read_text().rsplit(" ", 2)
        if remembered == status and st.st_ctime_ns < int(hashed_at) - SETTLED:
            return value
    except (OSError, ValueError):  # not remembered yet, or an unreadable memo
        pass
    hashed_at = time.time_ns()
    with source.open("rb") as f:
        value = hashlib.file_digest(f, "sha256").hexdigest()
    try:
        _write_atomically(memo, lambda tmp: Path(tmp).write_text(f"{status} {hashed_at} {value}"))
    except OSError:  # a read-only data directory: hash again next time
        pass
    return value


def copy_path(source: Path, kind: str) -> Path:
    """Where the parsed copy of ``source``'s current bytes, as ``kind``, is kept."""
    return _cache_dir() / f"{kind}-{digest(source)}.arrow"


def _seal(copy: Path) -> Path:
    """Where the sha256 of a copy's own bytes is kept, written when the copy is."""
    return copy.with_name(copy.name + ".sha256")


def _verified(copy: Path) -> bool:
    """Whether ``copy`` holds the bytes it was written with (a damaged or edited copy does not)."""
    try:
        return copy.exists() and _seal(copy).read_text().strip() == digest(copy)
    except OSError:
        return False


def parsed(source: Path, kind: str, parse: Callable[[Path], pl.DataFrame]) -> pl.DataFrame:
    """``parse(source)``, from the copy kept by an earlier call on the same bytes when there is one.

    The copy is used only when the sha256 of its own bytes matches the one written with it;
    otherwise it is parsed again and rewritten.
    """
    copy = copy_path(source, kind)
    if _verified(copy):
        try:  # read by polars itself: loading pyarrow would cost more than the read
            return pl.read_ipc(copy)
        except (OSError, pl.exceptions.PolarsError):  # unreadable after all: parse again
            pass
    frame = parse(source).rechunk()
    try:  # one record batch, so that columns read back as numpy without a copy
        _write_atomically(copy, lambda tmp: frame.write_ipc(tmp, record_batch_size=max(frame.height, 1)))
        _write_atomically(_seal(copy), lambda tmp: Path(tmp).write_text(digest(copy)))
    except OSError:  # a read-only data directory: work without the copy
        pass
    return frame
