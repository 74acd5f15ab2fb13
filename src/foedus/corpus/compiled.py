"""A compiled copy of the active corpus, so a command does not parse YAML and rebuild the ATOP
treaties in every process.

The copy is named by a digest of everything the corpus is built from: the bundled treaty files,
the store (and its write-ahead log), the COW state list, and the source of the modules that turn
them into treaties. Changing any of them names a different copy, so a stale one is never read.
Each copy starts with the sha256 of its own payload, checked before the payload is unpickled: a
damaged copy is rebuilt, never used. Only the newest few copies are kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import data_dir

if TYPE_CHECKING:
    from .loader import Corpus

KEEP = 4  # copies kept: a few store states (before and after an import) stay warm
_PACKAGE = Path(__file__).resolve().parent.parent
# the modules whose code decides what the corpus holds
_BUILDERS = ("model.py", "choices.py", "states.py", "store.py", "corpus/loader.py", "datasets/atop.py")


def _cache_dir() -> Path:
    return data_dir() / "cache"


def key(files: Iterable[Path]) -> str:
    """The sha256 over the names and bytes of ``files`` (absent ones count as absent), the
    builders' source, and the Python and pydantic versions that pickle the treaties."""
    import pydantic

    h = hashlib.sha256(f"{sys.version_info[:2]} {pydantic.VERSION}".encode())
    for path in [*(_PACKAGE / b for b in _BUILDERS), *files]:
        h.update(str(path).encode() + b"\0")
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except FileNotFoundError:
            h.update(b"absent")
    return h.hexdigest()


def _read(path: Path) -> Corpus | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    digest, payload = blob[:32], blob[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # written by an incompatible version of a dependency: rebuild  # noqa: BLE001
        return None


def _write(path: Path, corpus: Corpus) -> None:
    payload = pickle.dumps(corpus, protocol=pickle.HIGHEST_PROTOCOL)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    _prune(path.parent)


def _prune(folder: Path) -> None:
    """Remove all but the :data:`KEEP` newest copies (another process may be pruning too)."""
    copies = []
    for p in folder.glob("corpus-*.pickle"):
        try:
            copies.append((p.stat().st_mtime_ns, p))
        except FileNotFoundError:
            continue
    for _, stale in sorted(copies, reverse=True)[KEEP:]:
        stale.unlink(missing_ok=True)


def compiled(sources: Iterable[Path], build: Callable[[], Corpus]) -> Corpus:
    """``build()``, read from the copy an earlier process wrote for the same ``sources``."""
    path = _cache_dir() / f"corpus-{key(sources)}.pickle"
    corpus = _read(path)
    if corpus is None:
        corpus = build()
        try:
            _write(path, corpus)
        except OSError:  # a read-only data directory: work without the copy
            pass
    return corpus
