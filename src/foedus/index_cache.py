"""The cascade index of a (corpus, date), kept on disk: the second `cascade` or `sweep` for a date
reads it back instead of compiling it again (the compile runs the engine for every state).

A copy is named by the corpus digest (see :mod:`foedus.corpus.compiled`; a corpus without one is
digested from its treaties), the date, and the source of the modules whose rules decide the
findings, so a change to any of them compiles afresh. The corpus's own treaties are stored by id
and taken from the corpus on reading, so a copy holds only what the compile derived.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from . import disk_cache
from .disk_cache import PACKAGE

if TYPE_CHECKING:
    from .cascade import CascadeIndex
    from .corpus.loader import Corpus
    from .model import Place

T = TypeVar("T")
KEEP = 64  # dates kept per data directory (a sweep over years writes one per year)
# the modules whose code decides the findings and the rounds: a change to one names other copies
RULES = ("cascade.py", "rounds.py", "sweep.py", "engine.py", "coverage.py", "model.py", "choices.py", "dates.py",
         "places.py", "states.py", "strength.py", "data/places.yaml")


def corpus_digest(corpus: Corpus) -> str:
    """The corpus's digest: the one it was compiled under, else a sha256 of its treaties' JSON."""
    digest = getattr(corpus, "digest", None)
    if digest is None:
        h = hashlib.sha256()
        for t in corpus:
            h.update(t.model_dump_json().encode() + b"\0")
        digest = corpus.digest = h.hexdigest()
    return digest


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, corpus: Corpus):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._ids = {id(t): t.id for t in corpus}

    def persistent_id(self, obj: object) -> str | None:
        return self._ids.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, corpus: Corpus):
        super().__init__(file)
        self._corpus = corpus

    def persistent_load(self, pid: str) -> object:
        return self._corpus.treaties[pid]


_WRITE: ContextVar[bool] = ContextVar("index_cache_write", default=True)  # False inside :func:`read_only`


@contextmanager
def read_only() -> Iterator[None]:
    """Within it (in this thread or task), :func:`kept` reads the disk copies there are but writes none.

    For a one-off pass over more dates than a kind keeps (the backtest's war table compiles one index
    per war): pickling an index costs about half as much as compiling it, and the copies
    would push out those of the dates ``cascade`` and ``sweep`` are used on.
    """
    token = _WRITE.set(False)
    try:
        yield
    finally:
        _WRITE.reset(token)


def kept(kind: str, salt: str, build: Callable[[], T], corpus: Corpus | None = None, keep: int = KEEP) -> T:
    """``build()``, read from the disk copy named by ``kind``, ``salt`` and the rules' source when there
    is one. With ``corpus``, its treaties are stored by id and taken from it on reading. The ``keep``
    newest copies of a kind are kept (none written inside :func:`read_only`)."""
    path = disk_cache.cache_dir() / f"{kind}-{disk_cache.source_digest((PACKAGE / r for r in RULES), salt)}.pickle"
    payload = disk_cache.read(path)
    if payload is not None:
        try:
            if corpus is None:
                return pickle.loads(payload)
            return _Unpickler(io.BytesIO(payload), corpus).load()
        except Exception:  # written by an incompatible version, or a treaty the corpus lacks: build  # noqa: BLE001
            pass
    value = build()
    if not _WRITE.get():
        return value
    buffer = io.BytesIO()
    if corpus is None:
        pickle.dump(value, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    else:
        _Pickler(buffer, corpus).dump(value)
    try:
        disk_cache.write(path, buffer.getvalue(), keep)
    except OSError:  # a read-only data directory: build again next time
        pass
    return value


@lru_cache(maxsize=16)
def cascade_index(corpus: Corpus, on: date) -> CascadeIndex:
    """:func:`foedus.cascade.compile_index` of ``corpus`` on ``on``, from the disk copy when there is one."""
    from .cascade import compile_index

    return kept("index", f"{corpus_digest(corpus)} {on.isoformat()}", lambda: compile_index(corpus, on), corpus)


def theatre_index(corpus: Corpus, on: date, place: Place) -> CascadeIndex:
    """``cascade_index(corpus, on).theatre(place)``, the theatre's links also kept on disk."""
    index = cascade_index(corpus, on)
    key = index.scoped.key(place)
    memo = index._theatres  # the index's own per-theatre cache, filled here from disk when it can be
    if key not in memo:
        salt = f"{corpus_digest(corpus)} {on.isoformat()} {key!r}"
        memo[key] = kept("theatre", salt, lambda: index.theatre(place), corpus)
    return memo[key]
