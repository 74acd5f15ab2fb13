"""Importing the real ATOP files into the store: versions, status, and bad files."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from foedus import store
from foedus.cli import app
from foedus.datasets import registry
from foedus.datasets.download import sha256_of
from foedus.errors import DataError, FoedusError

ALLIANCES = "atop4_01_alliance_level.csv"
MEMBERS = "atop4_01_member_level.csv"


@pytest.fixture
def atop_files(shared_data) -> list[Path]:
    return [shared_data / ALLIANCES, shared_data / MEMBERS]


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return path


def _status() -> list[tuple]:
    return [(r.level, r.version, r.file, r.rows, r.sha256, r.imported_at) for r in store.imports()]


def test_import_records_version_rows_and_checksums(atop_files):
    records = store.import_dataset("atop", atop_files)
    expected = {p.name: (sum(1 for _ in p.open()) - 1, sha256_of(p)) for p in atop_files}
    assert {r.file: (r.rows, r.sha256) for r in records} == expected
    assert {(r.level, r.version) for r in store.imports()} == {("alliance", "4.01"), ("member", "4.01")}


def test_import_defaults_to_fetched_files(atop_files):
    with pytest.raises(DataError, match=r"no such file; run `foedus data fetch atop` first"):
        store.import_dataset("atop")
    for p, role in zip(atop_files, ("alliance", "member"), strict=True):
        dest = registry.get("atop").path("4.01", role)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(p.read_bytes())
    with pytest.raises(DataError, match=r"atop5_1a\.csv: no such file; run `foedus data fetch atop` first"):
        store.import_dataset("atop")  # the default release is 5.1
    assert len(store.import_dataset("atop", release="4.01")) == 2


def test_corrupt_value_names_file_line_and_column_and_leaves_store(atop_files, tmp_path):
    store.import_dataset("atop", atop_files)
    before = _status()
    rows = _rows(atop_files[1])
    col = rows[0].index("yrent")
    rows[120][col] = "18x7"
    bad = _write(tmp_path / MEMBERS, rows)
    with pytest.raises(DataError, match=rf"^{bad}:121: column yrent: '18x7' is not a whole number$"):
        store.import_dataset("atop", [atop_files[0], bad])
    assert _status() == before


@pytest.mark.parametrize("keep", [0.5, 0.9995, -5])
def test_truncated_file_is_refused_and_store_unchanged(atop_files, tmp_path, keep):
    """Cut in the middle, near the end, and inside the last row's final (optional) columns."""
    store.import_dataset("atop", atop_files)
    before = _status()
    data = atop_files[1].read_bytes().rstrip(b"\n")
    cut = tmp_path / MEMBERS
    cut.write_bytes(data[:keep] if keep < 0 else data[: int(len(data) * keep)])
    lines = cut.read_bytes().count(b"\n") + 1
    with pytest.raises(DataError, match=rf"^{cut}:{lines}: the last row has \d+ of 105 fields \(is the file truncated\?\)$"):
        store.import_dataset("atop", [atop_files[0], cut])
    assert _status() == before


def test_failed_first_import_creates_no_store(atop_files, tmp_path):
    rows = _rows(atop_files[1])
    rows[5][rows[0].index("defense")] = "2"
    bad = _write(tmp_path / MEMBERS, rows)
    with pytest.raises(DataError, match=r":6: column defense: 2 is not 0 or 1"):
        store.import_dataset("atop", [atop_files[0], bad])
    assert not store.store_path().exists() and store.imports() == []


PHASE = "columns yrent..dayexit: .* not a valid phase"


@pytest.mark.parametrize(("column", "value", "message"), [
    ("dayexit", "30", PHASE), ("moexit", "13", PHASE), ("moent", "0", PHASE),
    ("yrexit", "1700", r"column yrexit: year 1700 is outside 1815-\d{4} \(0 means still in force\)"),
    ("yrent", "0", r"column yrent: year 0 is outside 1815-\d{4}$"),
])
def test_impossible_dates_are_named(atop_files, tmp_path, column, value, message):
    rows = _rows(atop_files[1])
    head = rows[0]
    row = next(i for i, r in enumerate(rows[1:], start=1) if r[head.index("yrexit")] != "0")
    rows[row][head.index("moexit")] = "2"
    rows[row][head.index(column)] = value
    bad = _write(tmp_path / MEMBERS, rows)
    with pytest.raises(DataError, match=rf":{row + 1}: {message}"):
        store.import_dataset("atop", [atop_files[0], bad])


def test_member_rows_must_belong_to_listed_alliances(atop_files, tmp_path):
    rows = _rows(atop_files[0])
    half = len(rows) // 2
    kept = _write(tmp_path / ALLIANCES, rows[:half])  # the first alliances only
    first_orphan = next(i for i, r in enumerate(_rows(atop_files[1])[1:], start=2)
                        if r[0] not in {x[0] for x in rows[1:half]})
    with pytest.raises(DataError, match=rf"{MEMBERS}:{first_orphan}: column atopid: alliance \d+ is not in {ALLIANCES}"):
        store.import_dataset("atop", [kept, atop_files[1]])


def test_missing_column_and_wrong_file(atop_files, shared_data, tmp_path):
    frame = pl.read_csv(atop_files[1], infer_schema=False).drop("defcoadv")
    path = tmp_path / MEMBERS
    frame.write_csv(path)
    with pytest.raises(DataError, match=r"member-level file lacks column\(s\) defcoadv"):
        store.import_dataset("atop", [atop_files[0], path])
    with pytest.raises(DataError, match=r"states2016\.csv: not an ATOP alliance- or member-level file"):
        store.import_dataset("atop", [atop_files[0], shared_data / "states2016.csv"])
    with pytest.raises(DataError, match=r"needs one alliance-level file; got none"):
        store.import_dataset("atop", [atop_files[1]])


def test_release_5_layout_is_read_and_its_version_recorded(atop_files, tmp_path):
    """ATOP 5.1 files carry no ``version`` column and add columns; the version comes from the name."""
    paths = []
    for src, name in zip(atop_files, ("atop5_1a.csv", "atop5_1m.csv"), strict=True):
        frame = pl.read_csv(src, infer_schema=False).drop("version")
        frame = frame.with_columns(pl.lit("0").alias("extra_51_column"))
        frame.write_csv(tmp_path / name)
        paths.append(tmp_path / name)
    records = store.import_dataset("atop", paths)
    assert {r.version for r in records} == {"5.1"}
    version, members = store.atop_members()
    assert version == "5.1" and "extra_51_column" in members.columns
    assert members.height == len(_rows(atop_files[1])) - 1


def test_versions_of_a_pair_must_agree(atop_files, tmp_path):
    frame = pl.read_csv(atop_files[1], infer_schema=False).drop("version")
    frame.write_csv(tmp_path / "atop5_1m.csv")
    with pytest.raises(DataError, match=r"version 5\.1 does not match .* \(version 4\.01\)"):
        store.import_dataset("atop", [atop_files[0], tmp_path / "atop5_1m.csv"])


def test_cli_import_and_status(atop_files):
    runner = CliRunner()
    assert "atop (Alliance Treaty Obligations and Provisions (ATOP)): not imported" in runner.invoke(app, ["data", "status"]).output
    result = runner.invoke(app, ["data", "import", "atop", *map(str, atop_files)])
    assert result.exit_code == 0, result.output
    status = runner.invoke(app, ["data", "status"]).output
    for p in atop_files:
        assert p.name in status and sha256_of(p) in status
    assert "member-level 4.01" in status and f"{len(_rows(atop_files[1])) - 1} rows" in status


def test_cli_bad_file_is_one_line_exit_1(atop_files, tmp_path):
    rows = _rows(atop_files[1])
    rows[7][rows[0].index("phase")] = "one"
    bad = _write(tmp_path / MEMBERS, rows)
    proc = subprocess.run([sys.executable, "-c", "from foedus.cli import main; main()",
                           "data", "import", "atop", str(atop_files[0]), str(bad)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1
    assert proc.stderr == f"foedus: error: {bad}:8: column phase: 'one' is not a whole number\n"


def test_a_cow_import_takes_one_file(shared_data):
    with pytest.raises(FoedusError, match="a COW state-system import takes one file"):
        store.import_dataset("cow-states", [shared_data / "states2016.csv"] * 2)
    with pytest.raises(DataError, match=r"statelist2024\.csv: no such file; run `foedus data fetch cow-states` first"):
        store.import_dataset("cow-states")


def test_import_records_are_read_from_a_copy_until_the_store_changes(atop_files, monkeypatch):
    first = store.import_dataset("atop", atop_files)
    assert store.imports() == sorted(first, key=lambda r: (r.dataset, r.level))  # read from the store, copy kept

    def closed() -> None:
        raise AssertionError("the store was opened")

    with monkeypatch.context() as m:
        m.setattr(store, "_reading", closed)
        assert store.imports() == sorted(first, key=lambda r: (r.dataset, r.level))
    again = store.import_dataset("atop", atop_files)  # the store's bytes change: the old copy is not used
    assert {r.imported_at for r in store.imports()} == {again[0].imported_at} != {first[0].imported_at}
