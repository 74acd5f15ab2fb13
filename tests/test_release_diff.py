"""`foedus data compare`: what changes between two releases, on the synthetic publishers' files
(ATOP 5.1 adds alliance 9003 in 2018; COW v2024 runs eight years past v2016)."""

from __future__ import annotations

from datetime import date

from publisher_fixture import ADDED_IN_51, COW, atop_zip, cow_download, cow_rows
from typer.testing import CliRunner

from foedus import states
from foedus.cli import app
from foedus.datasets import registry, release_diff

runner = CliRunner()


def _import_both(tmp_path):
    for version in ("4.01", "5.1"):
        name, body = atop_zip(version)
        (tmp_path / name).write_bytes(body)
        assert runner.invoke(app, ["data", "import", "atop", str(tmp_path / name)]).exit_code == 0


def test_atop_releases_count_added_alliances_memberships_and_dyad_years(tmp_path):
    _import_both(tmp_path)
    ds = registry.get("atop")
    files = [tuple(ds.path(v, r) for r in ("alliance", "member")) for v in ("4.01", "5.1")]
    to_2016 = release_diff.atop_releases(*files, through=2016)
    assert (to_2016["alliances"].only_new, to_2016["alliances"].same) == (1, 2)
    assert to_2016["memberships"].only_new == len(ADDED_IN_51[1])
    assert to_2016["directed dyad-years"].only_new == 0  # 9003 begins in 2018
    to_2018 = release_diff.atop_releases(*files, through=2018)
    assert to_2018["directed dyad-years"].only_new == 2  # both directions of the new pact in 2018
    out = runner.invoke(app, ["data", "compare", "atop", "4.01", "5.1"]).output
    assert "alliances: 0 only in the old release, 1 only in the new, 0 coded differently, 2 the same" in out


def test_cow_lists_count_changed_membership_answers(tmp_path):
    old, new = tmp_path / "states2016.csv", tmp_path / "statelist2024.csv"
    old.write_bytes(cow_download("2016")[1])
    rows = cow_rows("2024")
    rows[1] |= {"endyear": 2020, "endmonth": 6, "endday": 30}  # Canada leaves in 2020 in the new list
    new.write_text("\n".join([",".join(COW), *(",".join(str(r[c]) for c in COW) for r in rows)]) + "\n")
    result = release_diff.cow_lists(old, new, date(2025, 1, 1))
    assert (result["spells differ"], result["membership answers change"], result["of which"]) == (1, 1, [20])
    assert release_diff.cow_lists(old, new, date(2016, 1, 1))["membership answers change"] == 0
    assert states.read_cow_list(new).last_day == date(2024, 12, 31)


def test_cli_compares_two_imported_cow_lists(tmp_path):
    old, new = tmp_path / "states2016.csv", tmp_path / "States2024.zip"
    old.write_bytes(cow_download("2016")[1])
    new.write_bytes(cow_download("2024")[1])
    for path in (old, new):
        assert runner.invoke(app, ["data", "import", "cow-states", str(path)]).exit_code == 0
    out = runner.invoke(app, ["data", "compare", "cow-states", "2016", "2024", "--on", "2020-01-01"]).output
    assert "COW state list v2016 -> v2024: 4 states, spells differ for 0; membership on 2020-01-01 changes for 0" in out
    states.system.cache_clear()
