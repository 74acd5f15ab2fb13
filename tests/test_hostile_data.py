"""Hostile and careless data: imports that would leave a broken store, damaged parsed copies, and
servers that send too much, too slowly, from elsewhere or the wrong bytes. Every file is made in a
temporary folder; the servers listen on 127.0.0.1."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import polars as pl
import pytest
from publisher_fixture import atop_zip, cow_download
from typer.testing import CliRunner

from foedus import panel, parsed_cache, store
from foedus.cli import app
from foedus.datasets import atop, registry
from foedus.datasets.download import fetch
from foedus.errors import DataError

runner = CliRunner()
FOLDER = "ATOP 5.1 (.csv)/"


def _release(tmp_path: Path) -> dict[str, Path]:
    """The synthetic 5.1 alliance, member and dyad-year files, unpacked into ``tmp_path``."""
    with zipfile.ZipFile(io.BytesIO(atop_zip("5.1")[1])) as z:
        out = {}
        for role, name in (("a", "atop5_1a.csv"), ("m", "atop5_1m.csv"), ("ddyr", "atop5_1ddyr.csv")):
            out[role] = tmp_path / name
            out[role].write_bytes(z.read(FOLDER + name))
    return out


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


def _commands_still_work() -> None:
    result = runner.invoke(app, ["assess", "--target", "USA", "--on", "2016-06-01", "--json"])
    assert result.exit_code == 0, result.output
    json.loads(result.output)


@pytest.fixture
def imported(tmp_path) -> dict[str, Path]:
    files = _release(tmp_path)
    store.import_dataset("atop", [files["a"], files["m"]])
    return files


def _refused(files: list[Path], match: str, imported_before: list) -> None:
    with pytest.raises(DataError, match=match):
        store.import_dataset("atop", files)
    assert store.imports() == imported_before
    _commands_still_work()


def test_a_duplicated_member_row_is_refused(imported, tmp_path):
    lines = _lines(imported["m"])
    bad = tmp_path / "dup" / "atop5_1m.csv"
    bad.parent.mkdir()
    bad.write_text("".join([*lines[:3], lines[2], *lines[3:]]))
    _refused([imported["a"], bad], r"atop5_1m\.csv:4: row repeats atopid=9001, phase=1, member=20, yrent=1950, moent=3, dayent=1$", store.imports())


@pytest.mark.parametrize(("column", "line"), [("yrent", 2), ("yrexit", 4)])
def test_a_year_outside_the_data_is_refused(imported, tmp_path, column, line):
    frame = pl.read_csv(imported["m"], infer_schema=False)
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == line - 2).then(pl.lit("1")).otherwise(column)
                               .alias(column))
    bad = tmp_path / "years" / "atop5_1m.csv"
    bad.parent.mkdir()
    frame.write_csv(bad)
    _refused([imported["a"], bad], rf"atop5_1m\.csv:{line}: column {column}: year 1 is outside 1815-", store.imports())


def test_a_member_file_cut_at_a_line_boundary_is_refused_unless_partial_is_allowed(imported, tmp_path):
    lines = _lines(imported["m"])
    cut = tmp_path / "cut" / "atop5_1m.csv"
    cut.parent.mkdir()
    cut.write_text("".join(lines[:4]))  # the header and three whole rows of six
    before = store.imports()
    _refused([imported["a"], cut], r"atop5_1a\.csv:3: alliance 9002 lists members \[220, 255\], but atop5_1m\.csv "
                                   r"has no rows for \[255\] \(is the member file cut short\?", before)
    store.import_dataset("atop", [imported["a"], cut], allow_partial=True)
    assert {r.rows for r in store.imports() if r.level == "member"} == {3}
    _commands_still_work()


def test_a_member_missing_from_its_alliance_is_named(imported, tmp_path):
    lines = _lines(imported["m"])
    bad = tmp_path / "one" / "atop5_1m.csv"
    bad.parent.mkdir()
    bad.write_text("".join([lines[0], lines[1], *lines[3:]]))  # Canada's row of alliance 9001 gone
    _refused([imported["a"], bad], r"alliance 9001 lists members \[2, 20\], but atop5_1m\.csv has no rows for \[20\]",
             store.imports())


@pytest.mark.parametrize("which", ["a", "m"])
def test_a_header_only_file_is_refused_unless_partial_is_allowed(imported, tmp_path, which):
    empty = tmp_path / "empty" / imported[which].name
    empty.parent.mkdir()
    empty.write_text(_lines(imported[which])[0])
    files = [empty if k == which else imported[k] for k in ("a", "m")]
    _refused(files, rf"{empty.name}: no rows, only a header \(pass --allow-partial", store.imports())


def test_treaties_are_built_before_the_import_commits(imported, tmp_path, monkeypatch):
    before = store.imports()

    def broken(members, version):
        raise ValueError("cannot build the treaties")

    with monkeypatch.context() as patch, \
            pytest.raises(DataError, match=r"import failed, store unchanged \(cannot build the treaties\)"):
        patch.setattr(atop, "treaties", broken)
        store.import_dataset("atop", [imported["a"], imported["m"]])
    assert store.imports() == before
    _commands_still_work()


def test_a_damaged_parsed_copy_is_parsed_again(tmp_path):
    ddyr = _release(tmp_path)["ddyr"]
    clean = panel.read_atop_flags("5.1", ddyr)
    copy = parsed_cache.copy_path(ddyr, "atop-5.1-flags")
    data = bytearray(copy.read_bytes())
    st = copy.stat()
    middle = len(data) // 2
    data[middle - 100:middle + 100] = bytes(b ^ 0xFF for b in data[middle - 100:middle + 100])
    copy.write_bytes(bytes(data))
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))  # the modification time put back
    assert panel.read_atop_flags("5.1", ddyr).equals(clean)
    assert parsed_cache._verified(copy)  # rewritten whole




def test_a_download_is_capped_at_its_recorded_size(publisher):
    fetch("cow-states", url=publisher.url)
    (registry.get("cow-states").folder("2024") / "States2024.zip").unlink()
    (publisher.root / "States2024.zip").write_bytes(os.urandom(1 << 20))
    for length in ("1048576", None):  # announced, or not announced at all
        publisher.length["States2024.zip"] = length
        with pytest.raises(DataError, match=r"more than (this release can be|\d+ bytes)"):
            fetch("cow-states", url=publisher.url)
        assert [p.name for p in registry.get("cow-states").folder("2024").iterdir()] == ["statelist2024.csv"]


def test_a_fetch_has_a_deadline_and_resumes_after_it(publisher):
    with pytest.raises(DataError, match="ran past its deadline .* run it again to resume"):
        fetch("atop", url=publisher.url, deadline=-1)
    assert fetch("atop", url=publisher.url)[0].downloaded


def test_a_redirect_to_another_host_is_refused_unless_allowed(publisher):
    port = publisher.server_address[1]
    publisher.redirect["States2024.zip"] = f"http://localhost:{port}/elsewhere.zip"
    (publisher.root / "elsewhere.zip").write_bytes(cow_download("2024")[1])
    with pytest.raises(DataError, match=r"redirected to another host \(localhost\); refused"):
        fetch("cow-states", url=publisher.url)
    assert fetch("cow-states", url=publisher.url, allow_redirects=True)[0].downloaded


def test_a_nonsense_content_length_is_no_traceback(publisher):
    publisher.length["states2016.csv"] = "abc"
    (got,) = fetch("cow-states", "2016", url=publisher.url)
    assert got.path.read_bytes() == cow_download("2016")[1]


def test_a_mismatch_never_suggests_accepting_what_was_served(publisher):
    fetch("cow-states", url=publisher.url)
    (registry.get("cow-states").folder("2024") / "States2024.zip").unlink()
    changed = bytearray(cow_download("2024")[1])
    changed[-30] ^= 1  # same size, other bytes
    (publisher.root / "States2024.zip").write_bytes(bytes(changed))
    result = runner.invoke(app, ["data", "fetch", "cow-states", "--url", publisher.url])
    assert result.exit_code == 1
    message = str(result.exception)
    assert "sha256 mismatch" in message and "--sha256" not in message and "trust" not in message
