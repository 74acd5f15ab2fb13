"""Parsed copies of source files: a dataset is parsed once, then read back as Arrow IPC.

A copy is named by what it holds and the sha256 of the source's bytes, so an edited or
re-fetched source is parsed afresh, never served stale. Copies live under the user data
directory (``cache/``); one that is damaged is parsed again, one that cannot be written is skipped.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl

from .config import data_dir


def copy_path(source: Path, kind: str) -> Path:
    """Where the parsed copy of ``source``'s current bytes, as ``kind``, is kept."""
    digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()
    return data_dir() / "cache" / f"{kind}-{digest}.arrow"


def parsed(source: Path, kind: str, parse: Callable[[Path], pl.DataFrame]) -> pl.DataFrame:
    """``parse(source)``, from the copy kept by an earlier call on the same bytes when there is one."""
    copy = copy_path(source, kind)
    try:
        return pl.read_ipc(copy)
    except (OSError, pl.exceptions.PolarsError):  # not written yet, or damaged: parse again
        pass
    frame = parse(source)
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=copy.parent, prefix=f".{copy.name}.")
        os.close(fd)
        try:
            frame.write_ipc(tmp)
            os.replace(tmp, copy)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError:  # a read-only data directory: work without the copy
        pass
    return frame
