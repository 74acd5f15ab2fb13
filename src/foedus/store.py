"""The embedded DuckDB store (``data_dir()/foedus.duckdb``): imported datasets and the corpus
the engine uses by default.

An import reads and checks every file first, then replaces the dataset's tables and its
``imports`` rows in one transaction, so a bad file leaves the store as it was. The ``downloads``
table keeps the sha256 recorded at each release's first download. The COW state list in use is
installed beside the store (:func:`foedus.states.installed_cow_states_path`) and recorded here.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .config import data_dir
from .datasets.registry import get
from .errors import DataError, FoedusError, StoreBusyError

if TYPE_CHECKING:
    import duckdb
    import polars as pl

    from .corpus.loader import Corpus
    from .model import Treaty

# The corpus loader and the model (YAML, pydantic) are imported on use: `releases()` serves
# commands, such as the panels, that read no treaty.

STORE_FILE = "foedus.duckdb"
ATOP_TABLES = {"alliance": "atop_alliances", "member": "atop_members"}
COW_LEVEL = "list"
_ATOP_NAME = re.compile(r"atop\d+_\d+(a|m|ddyr)\.csv$", re.IGNORECASE)
_ROLE = {"a": "alliance", "m": "member", "ddyr": "ddyr"}

_IMPORTS_DDL = """
CREATE TABLE IF NOT EXISTS imports (
    dataset VARCHAR, level VARCHAR, version VARCHAR, file VARCHAR,
    rows BIGINT, sha256 VARCHAR, imported_at TIMESTAMPTZ
)"""
_DOWNLOADS_DDL = """
CREATE TABLE IF NOT EXISTS downloads (
    dataset VARCHAR, release VARCHAR, file VARCHAR, url VARCHAR,
    sha256 VARCHAR, bytes BIGINT, recorded_at TIMESTAMPTZ
)"""


@dataclass(frozen=True)
class ImportRecord:
    """One imported file as ``foedus data status`` shows it."""

    dataset: str
    level: str
    version: str
    file: str
    rows: int
    sha256: str
    imported_at: datetime


@dataclass(frozen=True)
class Download:
    """A release's download whose sha256 was recorded at its first download (nothing could be pinned)."""

    dataset: str
    release: str
    file: str
    url: str
    sha256: str
    bytes: int
    recorded_at: datetime


def store_path() -> Path:
    """Where the store lives."""
    return data_dir() / STORE_FILE


def _connect(read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection to the store. Reading, a damaged store is refused with how to recover; writing (an
    import), it is checked by reading every table, and a damaged one is set aside and rebuilt, so
    ``foedus data import`` is always the way out."""
    import duckdb  # imported on use: commands that never open the store stay quick to start

    path = store_path()
    con = None
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
        if not read_only:
            for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
                con.execute(f'SELECT * FROM "{table}"').fetchall()
        return con
    except (duckdb.Error, OSError) as exc:
        if con is not None:
            con.close()
        if isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower():  # an import is writing it
            raise StoreBusyError("the store is locked by an import in progress; try again shortly") from None
        reason = str(exc).splitlines()[0]
        if not _damaged(path, reason):
            raise DataError(f"{path}: cannot open the store ({reason})") from None
        if read_only:
            raise _damage(path, reason) from None
    aside = path.with_name(f"{path.name}.damaged-{datetime.now(UTC):%Y%m%dT%H%M%S}")
    path.rename(aside)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    sys.stderr.write(f"foedus: the store {path} was damaged; moved it to {aside} and building a new one\n")
    try:
        return duckdb.connect(str(path), read_only=False)
    except duckdb.Error as exc:
        raise DataError(f"{path}: cannot create the store ({str(exc).splitlines()[0]})") from None


def _damaged(path: Path, reason: str) -> bool:
    """True when the store file exists but DuckDB cannot read it (not when it is locked or not ours to read)."""
    return path.is_file() and os.access(path, os.R_OK | os.W_OK) and "lock" not in reason.lower()


def _damage(path: Path, reason: str) -> DataError:
    return DataError(f"{path}: the store is damaged ({reason}); rebuild it with `foedus data import atop`, "
                     "or delete it and import again")


@contextmanager
def _reading() -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection whose query errors say the store is damaged and how to recover."""
    import duckdb

    con = _connect(read_only=True)
    try:
        yield con
    except duckdb.Error as exc:
        raise _damage(store_path(), str(exc).splitlines()[0]) from None
    finally:
        con.close()


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def record_download(dataset: str, release: str, file: str, url: str, sha256: str, size: int) -> None:
    """Record the sha256 of a release's download, which later fetches verify against."""
    con = _connect(read_only=False)
    try:
        con.execute(_DOWNLOADS_DDL)
        con.execute("DELETE FROM downloads WHERE dataset = ? AND release = ?", [dataset, release])
        con.execute("INSERT INTO downloads VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [dataset, release, file, url, sha256, size, datetime.now(UTC)])
    finally:
        con.close()


def downloads() -> list[Download]:
    """The recorded downloads, one per dataset release."""
    if not store_path().exists():
        return []
    con = _connect(read_only=True)
    try:
        if "downloads" not in _tables(con):
            return []
        return [Download(*r) for r in con.execute("SELECT * FROM downloads ORDER BY dataset, release").fetchall()]
    finally:
        con.close()


def recorded_download(dataset: str, release: str) -> Download | None:
    """The recorded download of ``dataset`` ``release``, if any."""
    return next((d for d in downloads() if (d.dataset, d.release) == (dataset, release)), None)


def import_dataset(name: str, paths: Sequence[Path] = (), release: str | None = None,
                   allow_partial: bool = False) -> list[ImportRecord]:
    """Import a dataset from ``paths`` (files, or the publisher's zip; default: the fetched release)
    into the store, in one transaction; a bad file leaves the store as it was."""
    dataset = get(name)
    if dataset.name == "cow-states":
        if len(paths) > 1:
            raise DataError("a COW state-system import takes one file: the state list CSV or its zip")
        return [import_cow_states(Path(paths[0]) if paths else None, release)]
    with tempfile.TemporaryDirectory(prefix="foedus-import-") as tmp:
        files = _atop_files(paths, release, Path(tmp))
        return _import_atop(files, allow_partial)


def _need_file(p: Path, fetched: bool, name: str) -> Path:
    if not p.is_file():
        hint = f"; run `foedus data fetch {name}` first, or name the files you downloaded" if fetched else ""
        raise DataError(f"{p}: no such file{hint}")
    return p


def _atop_files(paths: Sequence[Path], release: str | None, tmp: Path) -> list[Path]:
    """The CSV files of an ATOP import: the given files, the ATOP files inside a given zip, or the fetched release's."""
    from .datasets.download import zip_member

    if not paths:
        rel = get("atop").release(release)
        return [_need_file(get("atop").path(rel.version, role), True, "atop") for role in ("alliance", "member")]
    out: list[Path] = []
    for p in map(Path, paths):
        _need_file(p, False, "atop")
        if not zipfile.is_zipfile(p):
            out.append(p)
            continue
        with zipfile.ZipFile(p) as z:
            inner = [n for n in z.namelist() if _ATOP_NAME.search(n)]
        if not inner:
            raise DataError(f"{p}: the zip holds no ATOP alliance, member or dyad-year file (atopN_Na.csv ...)")
        for n in inner:
            dest = tmp / n.rsplit("/", 1)[-1]
            with zip_member(p, n, 1 << 30) as src, dest.open("wb") as out_file:
                shutil.copyfileobj(src, out_file)
            out.append(dest)
    return out


def _is_dyad_year(path: Path) -> bool:
    """Whether ``path`` is an ATOP directed dyad-year file (the publisher's or peacesciencer's layout)."""
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        header = {c.strip().strip('"') for c in fh.readline().split(",")}
    return "stateA" in header or {"ccode1", "atop_defense"} <= header


def _import_atop(files: list[Path], allow_partial: bool) -> list[ImportRecord]:
    import duckdb

    from .datasets import atop
    from .panel import check_dyad_year_file

    dyad_files = [p for p in files if _is_dyad_year(p)]
    if len(dyad_files) > 1:
        raise DataError(f"an ATOP import takes at most one dyad-year file; got {', '.join(map(str, dyad_files))}")
    parsed = [atop.read(p) for p in files if p not in dyad_files]
    by_level = {level: [f for f in parsed if f.level == level] for level in ATOP_TABLES}
    for level, found in by_level.items():
        if len(found) != 1:
            names = ", ".join(str(f.path) for f in found) or "none"
            raise DataError(f"an ATOP import needs one {level}-level file; got {names}")
    alliances, members = by_level["alliance"][0], by_level["member"][0]
    atop.check_pair(alliances, members, allow_partial)
    if dyad_files:
        check_dyad_year_file(dyad_files[0])
    version = members.version
    now = datetime.now(UTC)
    from .datasets.download import sha256_of  # here, not at the top: it loads urllib and http

    records = [ImportRecord("atop", f.level, f.version, f.path.name, f.frame.height, sha256_of(f.path), now)
               for f in (alliances, members)]
    con = _connect(read_only=False)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(_IMPORTS_DDL)
        for f in (alliances, members):
            frame = f.frame  # noqa: F841 (read by DuckDB's replacement scan)
            con.execute(f"CREATE OR REPLACE TABLE {ATOP_TABLES[f.level]} AS SELECT * FROM frame")
        con.execute("DELETE FROM imports WHERE dataset = 'atop'")
        con.executemany("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [[r.dataset, r.level, r.version, r.file, r.rows, r.sha256, r.imported_at] for r in records])
        # the treaties are built from what was written, before it is committed: a store that commits loads
        atop.treaties(con.sql(f"SELECT * FROM {ATOP_TABLES['member']}").pl(), version)
        con.execute("COMMIT")
    except (duckdb.Error, FoedusError, ValueError) as exc:
        con.execute("ROLLBACK")
        raise DataError(f"{store_path()}: import failed, store unchanged ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()
    _keep(version, [(f.level, f.path) for f in (alliances, members)] + [("ddyr", p) for p in dyad_files])
    return records


def _keep(version: str, files: list[tuple[str, Path]]) -> None:
    """Copies of an imported release's files where panels look for them (``data_dir()/atop/<version>/``)."""
    dataset = get("atop")
    folder = dataset.folder(version)
    folder.mkdir(parents=True, exist_ok=True)
    known = dataset.releases.get(version)
    for role, src in files:
        kept = known.role(role) if known else None
        dest = folder / (kept.name if kept else src.name)
        if dest.exists() and dest.resolve() == src.resolve():
            continue
        _copy_atomically(src, dest)


def _copy_atomically(src: Path, dest: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)
    finally:
        Path(tmp).unlink(missing_ok=True)


def import_cow_states(path: Path | None = None, release: str | None = None) -> ImportRecord:
    """Install a COW state-system list (a CSV, or the publisher's zip; default: the fetched release) as
    the one every command uses, and record it in the store."""
    from . import states
    from .datasets.download import zip_member

    dataset = get("cow-states")
    if path is None:
        path = _need_file(dataset.path(dataset.release(release).version, "states"), True, "cow-states")
    _need_file(path, False, "cow-states")
    with tempfile.TemporaryDirectory(prefix="foedus-import-") as tmp:
        source = path
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                inner = [n for n in z.namelist() if re.search(r"(statelist|states)\d{4}\.csv$", n, re.IGNORECASE)]
            if len(inner) != 1:
                raise DataError(f"{path}: expected one COW state list (statelistNNNN.csv) in the zip, found "
                                f"{len(inner) or 'none'}")
            source = Path(tmp) / inner[0].rsplit("/", 1)[-1]
            with zip_member(path, inner[0], 1 << 26) as src, source.open("wb") as out:
                shutil.copyfileobj(src, out)
        listed = states.read_cow_list(source)
        from .datasets.download import sha256_of  # here, not at the top: it loads urllib and http

        record = ImportRecord("cow-states", COW_LEVEL, listed.version, source.name, listed.rows, sha256_of(source),
                              datetime.now(UTC))
        installed = states.installed_cow_states_path()
        installed.parent.mkdir(parents=True, exist_ok=True)
        con = _connect(read_only=False)
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute(_IMPORTS_DDL)
            con.execute("DELETE FROM imports WHERE dataset = 'cow-states'")
            con.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?)", list(record.__dict__.values()))
            _copy_atomically(source, installed)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            con.close()
    states.system.cache_clear()
    if listed.version in dataset.releases:  # kept where `foedus data compare cow-states` looks for it
        kept = dataset.path(listed.version, "states")
        kept.parent.mkdir(parents=True, exist_ok=True)
        if not kept.exists() or kept.resolve() != path.resolve():
            _copy_atomically(installed, kept)
    return record


def _records(con: duckdb.DuckDBPyConnection) -> list[ImportRecord]:
    if "imports" not in _tables(con):
        return []
    return [ImportRecord(*r) for r in con.execute("SELECT * FROM imports ORDER BY dataset, level").fetchall()]


def imports() -> list[ImportRecord]:
    """What is loaded, one record per imported file (empty when nothing is).

    Read from a sealed copy named by the digest of the store's bytes (with its write-ahead log) and of
    this module when there is one: opening the store loads DuckDB, which costs more than many commands'
    work. A copy is kept only when the store did not change while it was read.
    """
    import pickle

    from . import disk_cache

    path = store_path()
    if not path.exists():
        return []
    files = [Path(__file__), path, Path(f"{path}.wal")]
    digest = disk_cache.source_digest(files, "imports")
    copy = disk_cache.cache_dir() / f"imports-{digest}.pickle"
    payload = disk_cache.read(copy)
    if payload is not None:
        return pickle.loads(payload)
    with _reading() as con:
        records = _records(con)
    if disk_cache.source_digest(files, "imports") == digest:
        try:
            disk_cache.write(copy, pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), keep=4)
        except OSError:  # a read-only data directory: read the store next time too
            pass
    return records


def releases() -> dict[str, str]:
    """The release of each dataset in use, e.g. ``{"atop": "5.1", "cow-states": "2024"}`` (absent: none)."""
    from . import states

    path = states.cow_states_path()
    return dict(_releases(str(store_path()), _stamp(), path.stat().st_mtime_ns if path.exists() else None))


@lru_cache(maxsize=1)
def _releases(path: str, stamp: int | None, cow_stamp: int | None) -> tuple[tuple[str, str], ...]:  # keys: the cache
    from . import states

    out = {r.dataset: r.version for r in imports()} if stamp is not None else {}
    listed = states.installed() if cow_stamp is not None else None
    if listed is not None:
        out["cow-states"] = listed.version
    return tuple(sorted(out.items()))


def atop_members(columns: Sequence[str] = ()) -> tuple[str, pl.DataFrame] | None:
    """The imported ATOP member-level rows (all columns, or those named) and their version,
    or None when ATOP is not imported."""
    if not store_path().exists():
        return None
    with _reading() as con:
        version = next((r.version for r in _records(con) if r.dataset == "atop" and r.level == "member"), None)
        if version is None:
            return None
        wanted = ", ".join(f'"{c}"' for c in columns) or "*"
        return version, con.sql(f"SELECT {wanted} FROM {ATOP_TABLES['member']}").pl()


def atop_treaties() -> list[Treaty]:
    """The imported ATOP alliances as treaties (empty when ATOP is not imported)."""
    from .datasets import atop

    loaded = atop_members(atop.MEMBER_REQUIRED + atop.MEMBER_NULLABLE)
    return [] if loaded is None else atop.treaties(loaded[1], loaded[0])


def _stamp() -> int | None:
    path = store_path()
    return path.stat().st_mtime_ns if path.exists() else None


_USER_CORPUS: list[Path] = []


def use_corpus(paths: Sequence[Path]) -> None:
    """Use these folders or files of the user's own treaty files beside the bundled ones (``--corpus``)."""
    _USER_CORPUS[:] = [Path(p) for p in paths]


def corpus_paths() -> tuple[Path, ...]:
    """The user's treaty folders or files: those given to :func:`use_corpus`, then ``FOEDUS_CORPUS``'s."""
    env = [Path(p) for p in os.environ.get("FOEDUS_CORPUS", "").split(os.pathsep) if p.strip()]
    return tuple(dict.fromkeys([*_USER_CORPUS, *env]))


def active_corpus() -> Corpus:
    """The bundled corpus, the user's treaty files (:func:`corpus_paths`) and the imported ATOP
    alliances; a curated treaty wins over the ATOP alliance it covers (see :func:`combine`).
    Loaded once per process, store state and set of user files."""
    return _active(str(store_path()), _stamp(), corpus_paths())


def active_digest() -> str | None:
    """The digest :func:`active_corpus` carries, found without loading the corpus; None with the user's
    own treaty files (that corpus is digested from its treaties)."""
    if corpus_paths():
        return None
    from .corpus.compiled import key

    return key(_compiled_sources(str(store_path())))


def _compiled_sources(path: str) -> list[Path]:
    """What the compiled corpus is built from, beside the code: the bundled treaties, the store, the COW list."""
    from . import states
    from .corpus import bundled_dir

    return [*sorted(bundled_dir().glob("*.yaml")), Path(path), Path(f"{path}.wal"), states.cow_states_path()]


@lru_cache(maxsize=1)  # one store state at a time: a long-running server does not grow per import
def _active(path: str, stamp: int | None, user: tuple[Path, ...]) -> Corpus:  # the arguments key the cache
    from .corpus.loader import bundled, load_corpus

    atop = (lambda: []) if stamp is None else atop_treaties
    if user:
        return combine(load_corpus(user), atop())
    from .corpus.compiled import compiled

    return compiled(_compiled_sources(path), lambda: combine(bundled(), atop()))


def combine(curated: Corpus, imported: list[Treaty]) -> Corpus:
    """Curated treaties plus the imported alliances, where every ATOP alliance a curated treaty
    links (``atop_id``, one or many) answers only before that treaty was signed: from then on the
    curated coding is the only one. An alliance wholly inside the curated span is dropped."""
    from .corpus.loader import Corpus

    cut: dict[int, tuple[date, str]] = {}
    for t in curated:
        start = min(d for d in (t.signed, t.in_force) if d is not None)
        for aid in t.atop_ids:
            if aid not in cut or start < cut[aid][0]:
                cut[aid] = (start, t.id)
    kept = []
    for t in imported:
        link = cut.get(t.atop_id) if isinstance(t.atop_id, int) else None
        if link is None:
            kept.append(t)
        elif t.in_force < link[0]:
            kept.append(_until(t, *link))
    return Corpus([*curated, *kept])


def _until(t: Treaty, day: date, by: str) -> Treaty:
    """An imported alliance cut off at ``day``, where the curated treaty ``by`` takes over."""
    from .model import Interval

    def clip(end: date | None) -> date:
        return day if end is None or end > day else end

    parties = tuple(m.model_copy(update={"end": clip(m.end)}) for m in t.parties if m.start < day)
    obligations = tuple(
        o if o.valid is None or (o.valid.end is not None and o.valid.end <= day)
        else o.model_copy(update={"valid": Interval(start=o.valid.start, end=day)})
        for o in t.obligations if o.valid is None or o.valid.start < day
    )
    note = f" From {day} the curated treaty {by} codes this commitment, so this coding stops there."
    return t.model_copy(update={"parties": parties, "obligations": obligations, "ended": clip(t.ended),
                                "notes": t.notes + note})
