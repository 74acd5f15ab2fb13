"""What the installed data cover, and what to say when an answer depends on data that are missing.

An answer built on data that are not installed (the COW state-system list, ATOP) or for a date
past what they cover must say so, with the command that supplies what is missing, rather than
report "no treaty binds" as if that were the whole story.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from . import states, store
from .errors import DataError

FETCH_COW = "`foedus data fetch cow-states`"
IMPORT_ATOP = "`foedus data fetch atop`, then `foedus data import atop`"
CURATED_FROM = date(1945, 1, 1)  # the bundled corpus's historical reach: treaties in force since 1945


def atop_version() -> str | None:
    """The imported ATOP release, or None when ATOP is not imported (read once per store state)."""
    path = store.store_path()
    return _atop_version(str(path), path.stat().st_mtime_ns if path.exists() else None)


@lru_cache(maxsize=4)
def _atop_version(path: str, stamp: int | None) -> str | None:  # the arguments key the cache
    return next((r.version for r in store.imports() if r.dataset == "atop"), None) if stamp is not None else None


def require_atop() -> None:
    """Raise, saying how to import it, when ATOP is not imported."""
    if atop_version() is None:
        raise DataError(f"ATOP is not imported, so there are no ATOP alliances to list; run {IMPORT_ATOP}")


def notes(day: date) -> list[str]:
    """What a reader of an answer for ``day`` must know about the data behind it."""
    out = []
    if not states.system():
        out.append(f"the COW state-system list is not installed, so no state's membership on {day} was checked; "
                   f"run {FETCH_COW}")
    elif day > states.COW_COVERAGE_END:
        out.append(f"the COW state-system list ends {states.COW_COVERAGE_END}; membership on {day} is assumed "
                   "unchanged since")
    version = atop_version()
    if version is None and day < CURATED_FROM:
        out.append(f"ATOP is not imported, so only the bundled treaties (mostly since 1945) were read for {day}; "
                   f"run {IMPORT_ATOP}")
    if day > date.today():
        out.append(f"{day} is in the future: treaties are read as they stand today (no withdrawal, accession or "
                   "expiry that is not already coded)")
    return out


def require_complete(day: date) -> None:
    """For an answer that found nothing on ``day``: raise when data that could change that are missing."""
    missing = [n for n in notes(day) if "run `foedus data" in n]
    if missing:
        raise DataError(f"no treaty found for {day}, but the answer is incomplete: " + "; ".join(missing))
