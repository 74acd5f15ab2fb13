"""Sealed files under the user data directory's ``cache/``: each starts with the sha256 of its
payload, checked before the payload is used, so a damaged or half-written copy is never read.

The caller names each file by a digest of what it was built from (so a changed source names
another file), and only the newest few files of a kind are kept.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .config import data_dir

PACKAGE = Path(__file__).resolve().parent  # foedus's own folder: the sources that name kept copies


def cache_dir() -> Path:
    """Where the cached copies live."""
    return data_dir() / "cache"


def source_digest(files: Iterable[Path], salt: str = "") -> str:
    """The sha256 over ``salt`` and the names and bytes of ``files`` (an absent file counts as absent)."""
    h = hashlib.sha256(salt.encode())
    for path in files:
        h.update(str(path).encode() + b"\0")
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except FileNotFoundError:
            h.update(b"absent")
    return h.hexdigest()


def read(path: Path) -> bytes | None:
    """The payload of a sealed file, or None when it is missing, unreadable or damaged."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    payload = blob[32:]
    return payload if hashlib.sha256(payload).digest() == blob[:32] else None


def write(path: Path, payload: bytes, keep: int) -> None:
    """Write ``payload`` sealed to ``path`` (whole or not at all), then keep only the ``keep`` newest
    files sharing its prefix (the name up to its first ``-``). Raises OSError when it cannot write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    kind = path.name.split("-", 1)[0]
    copies = []
    for p in path.parent.glob(f"{kind}-*{path.suffix}"):
        try:
            copies.append((p.stat().st_mtime_ns, p))
        except FileNotFoundError:  # another process pruned it
            continue
    for _, stale in sorted(copies, reverse=True)[keep:]:
        stale.unlink(missing_ok=True)
