"""A compiled copy of the active corpus, so a command does not parse YAML and rebuild the ATOP
treaties in every process.

The copy is named by a digest of everything the corpus is built from: the bundled treaty files,
the store (and its write-ahead log), the COW state list, and the source of the modules that turn
them into treaties. Changing any of them names a different copy, so a stale one is never read; a
damaged one is rebuilt (see :mod:`foedus.disk_cache`). Only the newest few copies are kept.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import disk_cache
from ..disk_cache import PACKAGE

if TYPE_CHECKING:
    from .loader import Corpus

KEEP = 4  # copies kept: a few store states (before and after an import) stay warm
# the modules whose code decides what the corpus holds
_BUILDERS = ("model.py", "choices.py", "states.py", "store.py", "corpus/loader.py", "datasets/atop.py")


def key(files: Iterable[Path]) -> str:
    """The digest naming the corpus built from ``files`` by this code, pickled by these versions."""
    import pydantic

    salt = f"{sys.version_info[:2]} {pydantic.VERSION}"
    return disk_cache.source_digest([*(PACKAGE / b for b in _BUILDERS), *files], salt)


def compiled(sources: Iterable[Path], build: Callable[[], Corpus]) -> Corpus:
    """``build()``, read from the copy an earlier process wrote for the same ``sources``.

    The corpus carries the digest as ``digest``: caches derived from it (the cascade index) use it.
    """
    digest = key(sources)
    path = disk_cache.cache_dir() / f"corpus-{digest}.pickle"
    payload = disk_cache.read(path)
    corpus = None
    if payload is not None:
        try:
            corpus = pickle.loads(payload)
        except Exception:  # written by an incompatible version of a dependency: rebuild  # noqa: BLE001
            corpus = None
    if corpus is None:
        corpus = build()
        try:
            disk_cache.write(path, pickle.dumps(corpus, protocol=pickle.HIGHEST_PROTOCOL), KEEP)
        except OSError:  # a read-only data directory: work without the copy
            pass
    corpus.digest = digest
    return corpus
