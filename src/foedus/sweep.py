"""Sweeps: the cascade for every ordered attacker–target pair of system members, on a date or per year.

A sweep reads the same index and the same round rule as :func:`foedus.cascade.cascade`, for an
armed attack on the target's home territory, thousands of wars at a time as matrix products: round 1
from the date's index (the target attacked at home), later rounds from the index of the target's
theatre (each joiner attacked in its forces there), the wars grouped by theatre. The
result is a long table, one row per state in each war: ``on, attacker, target, state, side, round``,
with ``side`` one of ``defender``, ``aggressor`` or ``conflict`` (bound to both sides, stays out),
the ids dictionary-encoded (categorical). It is built as Arrow and written to Parquet or CSV by
pyarrow; :func:`sweep_date` gives it as a polars DataFrame. A sweep whose kernels are kept on disk
loads neither the corpus nor polars. With a dask.distributed client, the blocks of pairs (or the
years) run on the cluster; the table is the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
from threadpoolctl import threadpool_limits

from . import limits, states, store
from .errors import DataError, FoedusError
from .index_cache import corpus_digest, kept
from .outputs import atomic_output, check_target
from .rounds import Propagator, Side, advance, cells

if TYPE_CHECKING:
    import polars as pl

    from .cascade import Theatre
    from .corpus.loader import Corpus

BLOCK = 4096  # wars per matrix batch and per dask task
SIDES = (Side.DEFENDER.value, Side.AGGRESSOR.value, "conflict")
_IDS = pa.dictionary(pa.int32(), pa.string())  # categorical: gathers move 4-byte codes, not strings
SCHEMA = pa.schema(
    [
        ("on", pa.date32()),
        ("attacker", _IDS),
        ("target", _IDS),
        ("state", _IDS),
        ("side", pa.dictionary(pa.int8(), pa.string())),
        ("round", pa.int16()),
    ]
)
EPOCH = date(1970, 1, 1)  # Arrow's day 0


def _column(values: np.ndarray, kind: pa.DataType) -> pa.Array:
    """``values`` as an Arrow array of ``kind``, from their buffer.

    ``pa.array`` would do, but it imports pandas (half a second) to ask whether the input is a pandas
    object; a sweep never holds one.
    """
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(kind, values.size, [None, pa.py_buffer(values)])


@lru_cache(maxsize=64)
def _strings(names: tuple[str, ...]) -> pa.Array:
    """The names as an Arrow string array, built from offsets and bytes (see :func:`_column`)."""
    data = [s.encode() for s in names]
    offsets = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in data], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(data), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))])


_SIDE_NAMES = _strings(SIDES)


def members_on(day: date) -> list[str]:
    """Ids of the COW state-system members on ``day``; an error saying what to run when the list is missing."""
    listed = states.installed()
    if listed is None:
        raise DataError("the COW state-system list is not installed; run `foedus data fetch cow-states` first")
    if day > listed.last_day:
        raise FoedusError(f"{day} is after the last day of the COW state list v{listed.version} ({listed.last_day}); "
                          f"sweep dates up to it")
    ids = {states.cow_id(cown) for cown in listed.members(day)}
    if not ids:
        raise FoedusError(f"no state was a system member on {day} (the COW list v{listed.version} covers "
                          f"{states.SYSTEM_START} to {listed.last_day})")
    return sorted(ids)


def pairs(ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every ordered (attacker, target) pair of distinct states, as two arrays of positions in ``ids``."""
    n = len(ids)
    a, t = np.divmod(np.arange(n * n), n)
    keep = a != t
    return a[keep], t[keep]


def _block(
    home: Propagator,
    theatre: Propagator,
    universe: tuple[str, ...],
    member_cols: np.ndarray,
    a: np.ndarray,
    t: np.ndarray,
    on: date,
) -> pa.Table:
    """The cascades of one block of pairs (positions among members) as rows of the long table.

    ``home`` gives round 1 (the target attacked at home), ``theatre`` the later rounds; every target in
    the block shares that theatre.
    """
    n = len(universe)
    d0 = np.zeros((a.size, n), dtype=bool)
    a0 = np.zeros_like(d0)
    rows = np.arange(a.size)
    d0[rows, member_cols[t]] = True
    a0[rows, member_cols[a]] = True
    roots = home(rows, d0, a0, d0, a0, np.ones_like(d0))
    # (war, state column, side, round) per part: round 0 for every war, then the joiners. A war in which
    # no one is bound in round 1 ends there (most targets are owed nothing): only the others go through
    # the rounds
    parts = [(rows, member_cols[t], 0, 0), (rows, member_cols[a], 1, 0)]
    busy = np.flatnonzero(roots[0].any(axis=1) | roots[1].any(axis=1))
    if busy.size:
        r = advance(d0[busy], a0[busy], theatre, (roots[0][busy], roots[1][busy]))
        for side, rounds in enumerate((r.defender, r.aggressor, r.conflict)):
            w, c = cells(rounds > 0)  # entered after round 0 (NOT is negative)
            parts.append((busy[w], c, side, rounds[w, c]))
    war = np.concatenate([p[0] for p in parts])
    names = _strings(universe)

    def ids(codes: np.ndarray) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(_column(codes.astype(np.int32), pa.int32()), names)

    sides = np.repeat(np.array([p[2] for p in parts], dtype=np.int8), [p[0].size for p in parts])
    rounds = np.concatenate([np.broadcast_to(np.int16(p[3]), p[0].shape) for p in parts])
    return pa.table(
        [
            _column(np.full(war.size, (on - EPOCH).days, dtype=np.int32), pa.date32()),
            ids(member_cols[a][war]),
            ids(member_cols[t][war]),
            ids(np.concatenate([p[1] for p in parts])),
            pa.DictionaryArray.from_arrays(_column(sides, pa.int8()), _SIDE_NAMES),
            _column(rounds, pa.int16()),
        ],
        schema=SCHEMA,
    )


Task = tuple["Theatre", np.ndarray, np.ndarray]  # a block: its targets' theatre, attackers, targets


def _setup(
    corpus: Corpus, on: date, conditional: bool, members: list[str]
) -> tuple[Propagator, dict[Theatre, Propagator], list[Task], tuple[str, ...], np.ndarray]:
    """The kernels and the blocks of work of a sweep.

    The kernels span the index's states plus any member the index lacks (with no links): one for round
    1 (each target attacked at home), one per theatre for the later rounds. A block holds at most
    ``BLOCK`` ordered pairs whose targets share one theatre: their home.
    """
    from . import places
    from .index_cache import cascade_index

    index = cascade_index(corpus, on)
    extra = [s for s in members if s not in index.pos]
    universe = index.ids + tuple(extra)
    col = {s: i for i, s in enumerate(universe)}
    home = index.propagator(conditional).padded(len(universe))
    by_theatre: dict[Theatre, list[int]] = {}
    for i, m in enumerate(members):
        by_theatre.setdefault(index.scoped.key(places.home(m)), []).append(i)
    kernels = {
        key: index.theatre(places.home(members[targets[0]])).propagator(conditional).padded(len(universe))
        for key, targets in by_theatre.items()
    }
    a, t = pairs(list(range(len(members))))
    tasks = []
    for key, targets in by_theatre.items():
        keep = np.isin(t, targets)
        ga, gt = a[keep], t[keep]
        tasks += [(key, ga[s : s + BLOCK], gt[s : s + BLOCK]) for s in range(0, ga.size, BLOCK)]
    return home, kernels, tasks, universe, np.array([col[s] for s in members])


def sweep_date(
    on: date,
    corpus: Corpus | None = None,
    conditional: bool = False,
    client=None,
    progress: Callable[[int, int], None] | None = None,
    members: list[str] | None = None,
) -> pl.DataFrame:
    """The cascade of every ordered pair of members on ``on``; ``progress(done, total)`` after each block.

    ``members`` defaults to the COW system members on ``on``. Rows come grouped by the target's theatre.
    """
    return frame(sweep_table(on, corpus, conditional, client, progress, members))


def frame(table: pa.Table) -> pl.DataFrame:
    """The sweep's rows as a polars DataFrame: ids categorical, ``side`` an enum of :data:`SIDES`."""
    import polars as pl

    return pl.from_arrow(_in_schema(table)).with_columns(pl.col("side").cast(pl.Enum(SIDES)))


def sweep_table(
    on: date,
    corpus: Corpus | None = None,
    conditional: bool = False,
    client=None,
    progress: Callable[[int, int], None] | None = None,
    members: list[str] | None = None,
) -> pa.Table:
    """:func:`sweep_date` as an Arrow table, without polars."""
    members = members if members is not None else members_on(on)
    # the active corpus is loaded only when the kernels are not kept: its digest names them
    digest = corpus_digest(corpus) if corpus is not None else store.active_digest()
    if digest is None:
        corpus = store.active_corpus()
        digest = corpus_digest(corpus)
    salt = f"{digest} {on.isoformat()} {conditional} {','.join(members)}"
    home, kernels, tasks, universe, member_cols = kept(
        "sweep", salt, lambda: _setup(corpus if corpus is not None else store.active_corpus(), on, conditional, members)
    )
    total = sum(a.size for _, a, _ in tasks)
    done = 0
    if client is None:  # one block per core (numpy releases the GIL); BLAS kept to one thread per block
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            jobs = [pool.submit(_block, home, kernels[key], universe, member_cols, a, t, on) for key, a, t in tasks]
            parts = []
            for (_, a, _), job in zip(tasks, jobs, strict=True):
                parts.append(job.result())
                done += a.size
                if progress:
                    progress(done, total)
    else:
        from distributed import as_completed

        # hash=False: each sweep ships its own copies; with content keys a second sweep on the client
        # shares the first one's keys, which the first releases when done ("lost dependencies")
        h = client.scatter(home, broadcast=True, hash=False)
        shipped = {key: client.scatter(k, broadcast=True, hash=False) for key, k in kernels.items()}
        futures = {
            client.submit(_block, h, shipped[key], universe, member_cols, a, t, on): i
            for i, (key, a, t) in enumerate(tasks)
        }
        finished: dict[int, pa.Table] = {}
        for fut in as_completed(futures):
            i = futures[fut]
            finished[i] = fut.result()
            done += tasks[i][1].size
            if progress:
                progress(done, total)
        parts = [finished[i] for i in range(len(tasks))]
    return pa.concat_tables(parts) if parts else SCHEMA.empty_table()


def _year(corpus: Corpus, year: int, conditional: bool, members: list[str]) -> pa.Table:
    return sweep_table(date(year, 7, 1), corpus, conditional, members=members)


def parse_years(text: str) -> list[int]:
    """``1816-2016`` or ``1990`` as a list of years, inside the COW list's coverage."""
    first, last = limits.parse_years(text)
    return list(range(first, last + 1))


def sweep_years(
    years: Iterable[int],
    out: Path,
    corpus: Corpus | None = None,
    conditional: bool = False,
    client=None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Sweep each year's 1 July into one Parquet (a row group per year) or CSV file; returns the row count."""
    check_output(out)
    lo, hi = limits.cow_years()
    years = list(islice(years, hi - lo + 2))  # never more than the list covers, however long the iterable
    outside = [y for y in years if not lo <= y <= hi]
    if outside or len(years) > hi - lo + 1:
        raise FoedusError(f"bad --years: {(outside or years)[0]} and on: sweeps cover the COW state system list ({lo}-{hi})"
                          ", each year once")
    members = {y: members_on(date(y, 7, 1)) for y in years}  # fails before any work if the list is missing
    results: dict[int, pa.Table] = {}
    if client is None:  # without a corpus given, each year loads the active one only if its kernels are not kept
        for i, y in enumerate(years):
            results[y] = _year(corpus, y, conditional, members[y])
            if progress:
                progress(i + 1, len(years))
    else:
        from distributed import as_completed

        corpus = corpus if corpus is not None else store.active_corpus()
        c = client.scatter(corpus, broadcast=True, hash=False)
        futures = {client.submit(_year, c, y, conditional, members[y]): y for y in years}
        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
            if progress:
                progress(len(results), len(years))
    return write_rows((results[y] for y in years), out)


FORMATS = (".parquet", ".csv")


def check_output(out: Path) -> Path:
    """``out`` if a sweep can be written there: a ``.parquet`` or ``.csv`` name, a writable place, no special file."""
    return check_target(out, FORMATS)


def _in_schema(table: pa.Table) -> pa.Table:
    """``table`` cast to :data:`SCHEMA` (its ids may come with other index types), as is when it is in it."""
    return table if table.schema.equals(SCHEMA) else table.cast(SCHEMA)


def write_rows(tables: Iterable[pa.Table], out: Path) -> int:
    """Write the tables (in :data:`SCHEMA`) as one file, Parquet or CSV by ``out``'s suffix; returns the row count."""
    out = check_output(out)
    return (write_csv if out.suffix.lower() == ".csv" else write_parquet)(tables, out)


def write_parquet(tables: Iterable[pa.Table], out: Path) -> int:
    """Write the tables as one Parquet file, a row group each, atomically (see :func:`foedus.outputs.atomic_output`)."""
    import pyarrow.parquet as pq

    releases = ",".join(f"{d}={v}" for d, v in store.releases().items())
    rows = 0
    # min/max statistics only for the date, which tells a reader which row group (year) to read: for the
    # id columns they took half the write
    with atomic_output(out) as tmp, pq.ParquetWriter(
        tmp, SCHEMA.with_metadata({"foedus:releases": releases}), compression="zstd", write_statistics=["on"]
    ) as writer:
        for t in tables:
            writer.write_table(_in_schema(t), row_group_size=max(t.num_rows, 1))
            rows += t.num_rows
    return rows


def write_csv(tables: Iterable[pa.Table], out: Path) -> int:
    """Write the tables as one CSV file with one header row, atomically."""
    import pyarrow.csv as csv

    rows = 0
    # ids, side names and dates hold no delimiter or quote: written bare (pyarrow refuses one that would)
    options = csv.WriteOptions(quoting_style="none", quoting_header="none")
    with atomic_output(out) as tmp, csv.CSVWriter(tmp, SCHEMA, write_options=options) as writer:
        for t in tables:
            writer.write_table(_in_schema(t))
            rows += t.num_rows
    return rows
