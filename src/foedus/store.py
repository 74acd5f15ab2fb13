"""The embedded DuckDB store (``data_dir()/foedus.duckdb``): imported datasets and the corpus
the engine uses by default.

An import reads and checks every file first, then replaces the dataset's tables and its
``imports`` rows in one transaction, so a bad file leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .config import data_dir
from .corpus.loader import Corpus, bundled
from .datasets.download import sha256_of
from .datasets.registry import get
from .errors import DataError, FoedusError
from .model import Treaty

if TYPE_CHECKING:
    import duckdb
    import polars as pl

STORE_FILE = "foedus.duckdb"
ATOP_TABLES = {"alliance": "atop_alliances", "member": "atop_members"}
ATOP_DEFAULT_FILES = ("atop4_01_alliance_level.csv", "atop4_01_member_level.csv")

_IMPORTS_DDL = """
CREATE TABLE IF NOT EXISTS imports (
    dataset VARCHAR, level VARCHAR, version VARCHAR, file VARCHAR,
    rows BIGINT, sha256 VARCHAR, imported_at TIMESTAMPTZ
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


def store_path() -> Path:
    """Where the store lives."""
    return data_dir() / STORE_FILE


def _connect(read_only: bool) -> duckdb.DuckDBPyConnection:
    import duckdb  # imported on use: commands that never open the store stay quick to start

    path = store_path()
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(path), read_only=read_only)
    except (duckdb.Error, OSError) as exc:
        raise DataError(f"{path}: cannot open the store ({str(exc).splitlines()[0]})") from None


def import_dataset(name: str, paths: Sequence[Path] = ()) -> list[ImportRecord]:
    """Import a dataset's files (default: the fetched ones) into the store, in one transaction."""
    import duckdb

    from .datasets import atop

    dataset = get(name)
    if dataset.name != "atop":
        raise FoedusError(f"dataset {name} is read where it is fetched; only atop is imported")
    files = [Path(p) for p in paths] or [dataset.path(f) for f in ATOP_DEFAULT_FILES]
    for p in files:
        if not p.is_file():
            hint = "; run `foedus data fetch atop` first" if not paths else ""
            raise DataError(f"{p}: no such file{hint}")
    parsed = [atop.read(p) for p in files]
    by_level = {level: [f for f in parsed if f.level == level] for level in ATOP_TABLES}
    for level, found in by_level.items():
        if len(found) != 1:
            names = ", ".join(str(f.path) for f in found) or "none"
            raise DataError(f"an ATOP import needs one {level}-level file; got {names}")
    alliances, members = by_level["alliance"][0], by_level["member"][0]
    atop.check_pair(alliances, members)
    now = datetime.now(UTC)
    records = [
        ImportRecord("atop", f.level, f.version, f.path.name, f.frame.height, sha256_of(f.path), now)
        for f in (alliances, members)
    ]
    con = _connect(read_only=False)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(_IMPORTS_DDL)
        for f in (alliances, members):
            frame = f.frame  # noqa: F841 (read by DuckDB's replacement scan)
            con.execute(f"CREATE OR REPLACE TABLE {ATOP_TABLES[f.level]} AS SELECT * FROM frame")
        con.execute("DELETE FROM imports WHERE dataset = 'atop'")
        con.executemany(
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[r.dataset, r.level, r.version, r.file, r.rows, r.sha256, r.imported_at] for r in records],
        )
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise DataError(f"{store_path()}: import failed, store unchanged ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()
    return records


def _records(con: duckdb.DuckDBPyConnection) -> list[ImportRecord]:
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "imports" not in tables:
        return []
    return [ImportRecord(*r) for r in con.execute("SELECT * FROM imports ORDER BY dataset, level").fetchall()]


def imports() -> list[ImportRecord]:
    """What is loaded, one record per imported file (empty when nothing is)."""
    if not store_path().exists():
        return []
    con = _connect(read_only=True)
    try:
        return _records(con)
    finally:
        con.close()


def atop_members(columns: Sequence[str] = ()) -> tuple[str, pl.DataFrame] | None:
    """The imported ATOP member-level rows (all columns, or those named) and their version,
    or None when ATOP is not imported."""
    if not store_path().exists():
        return None
    con = _connect(read_only=True)
    try:
        version = next((r.version for r in _records(con) if r.dataset == "atop" and r.level == "member"), None)
        if version is None:
            return None
        wanted = ", ".join(f'"{c}"' for c in columns) or "*"
        return version, con.sql(f"SELECT {wanted} FROM {ATOP_TABLES['member']}").pl()
    finally:
        con.close()


def atop_treaties() -> list[Treaty]:
    """The imported ATOP alliances as treaties (empty when ATOP is not imported)."""
    from .datasets import atop

    loaded = atop_members(atop.MEMBER_REQUIRED + atop.MEMBER_NULLABLE)
    return [] if loaded is None else atop.treaties(loaded[1], loaded[0])


def _stamp() -> int | None:
    path = store_path()
    return path.stat().st_mtime_ns if path.exists() else None


def active_corpus() -> Corpus:
    """The bundled corpus plus the imported ATOP alliances; a curated treaty wins over the
    ATOP alliance it covers (see :func:`combine`). Loaded once per process and store state."""
    return _active(str(store_path()), _stamp())


@cache
def _active(path: str, stamp: int | None) -> Corpus:  # path and stamp key the cache
    return combine(bundled(), [] if stamp is None else atop_treaties())


def combine(curated: Corpus, imported: list[Treaty]) -> Corpus:
    """Curated treaties plus the imported alliances that no curated treaty claims by its
    ``atop_id``: the curated coding wins."""
    claimed = {t.atop_id for t in curated if t.atop_id is not None}
    return Corpus([*curated, *(t for t in imported if t.atop_id not in claimed)])
