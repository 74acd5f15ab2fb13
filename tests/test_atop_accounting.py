"""Every ATOP alliance live at the end of ATOP's coverage is accounted for, and the generated tables
in docs/corpus.md are current."""

from __future__ import annotations

from pathlib import Path

import pytest

from foedus.corpus import accounting
from foedus.corpus.doc_tables import sections, splice
from foedus.corpus.loader import bundled
from foedus.datasets import atop
from foedus.errors import CorpusError
from scripts import corpus_tables

DOC = Path(__file__).resolve().parents[1] / "docs" / "corpus.md"


@pytest.fixture(scope="module")
def members(full_data):
    return atop.read(full_data / "atop4_01_member_level.csv")


@pytest.fixture(scope="module")
def live(members):
    return accounting.live_at_end(members.frame)


def test_every_live_alliance_is_linked_or_in_the_accounting_file(live):
    assert accounting.problems(live, accounting.bundled_entries(), bundled()) == []


# live defence alliances linked by the treaty files added for 2026, after the issue counted the unlinked ones:
# the OAS Charter, Russia-Kazakhstan 1992, the RSS, the ECCAS and AU pacts, Russia-Uzbekistan 2005
LINKED_SINCE_THE_ISSUE = {3150, 4235, 4778, 4945, 5055, 5075}


def test_the_scope_matches_the_issue_counts(live, members):
    """About 30 unlinked with a defence obligation when the issue was written, about 170 with consultation or
    neutrality only."""
    linked = accounting.links(bundled())
    assert LINKED_SINCE_THE_ISSUE <= linked.keys() and all(live[a].defence for a in LINKED_SINCE_THE_ISSUE)
    defence = [a for a in live.values() if a.defence and (a.atop not in linked or a.atop in LINKED_SINCE_THE_ISSUE)]
    others = [a for a in live.values() if not a.defence]
    assert 25 <= len(defence) <= 35 and 160 <= len(others) <= 180
    assert all(set(a.kinds) <= {"defence", "consultation", "neutrality"} and a.kinds for a in live.values())
    assert accounting.live_out_of_scope(members.frame) > 0


def test_a_missing_alliance_is_reported(live):
    entries = dict(accounting.bundled_entries())
    gone = entries.pop(3485)
    assert accounting.problems(live, entries, bundled()) == [
        f"ATOP {gone.atop} is live at the end of coverage but neither linked nor in the accounting file"]


def test_an_entry_for_a_linked_or_dead_alliance_is_reported(live):
    entries = dict(accounting.bundled_entries())
    entries[3180] = accounting.Entry(atop=3180, status="unknown")
    entries[1060] = accounting.Entry(atop=1060, status="unknown")
    found = accounting.problems(live, entries, bundled())
    assert "ATOP 3180 is linked to nato-1949; drop its accounting entry" in found
    assert any(p.startswith("ATOP 1060 is in the accounting file but not live") for p in found)


def test_frances_african_pacts_are_recorded_as_replaced_with_sources(live):
    entries = accounting.bundled_entries()
    for aid, partner in ((3395, "CAF"), (3410, "GAB"), (3730, "SEN"), (3830, "COM")):
        assert set(live[aid].members) == {"FRA", partner}
        assert entries[aid].status is accounting.Status.REPLACED and entries[aid].source and entries[aid].by


def test_every_status_but_unknown_names_a_source():
    for e in accounting.bundled_entries().values():
        assert e.status is accounting.Status.UNKNOWN or e.source


@pytest.mark.parametrize(("body", "message"), [
    ("alliances:\n  - {atop: 3355, status: lapsed}\n", "alliances.0: (entry): Value error, status lapsed needs a source"),
    ("alliances:\n  - {atop: 3355, status: replaced, source: x}\n", "status replaced needs `by`"),
    ("alliances:\n  - {atop: 3355, status: gone}\n", "alliances.0: status:"),
    ("alliances:\n  - {atop: 3355, status: unknown}\n  - {atop: 3355, status: unknown}\n", "listed twice"),
    ("- 1\n", "expected a mapping with a list `alliances`"),
])
def test_bad_accounting_file_is_one_line_naming_the_entry(tmp_path, body, message):
    path = tmp_path / "acc.yaml"
    path.write_text(body)
    with pytest.raises(CorpusError) as exc:
        accounting.load(path)
    assert message in str(exc.value) and str(path) in str(exc.value) and "\n" not in str(exc.value)


def test_generated_tables_in_docs_corpus_are_current(members):
    text = DOC.read_text(encoding="utf-8")
    assert splice(text, sections(members.frame, members.version, bundled())) == text, \
        "docs/corpus.md is stale: run `python -m scripts.corpus_tables --atop PATH/atop4_01_member_level.csv`"


def test_table_lists_every_live_alliance_once(members, live):
    table = sections(members.frame, members.version, bundled())["atop-accounting"]
    rows = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert sorted(map(int, rows)) == sorted(live)


def test_script_check_passes_on_the_committed_doc_and_fails_on_a_stale_one(full_data, tmp_path, monkeypatch, capsys):
    path = full_data / "atop4_01_member_level.csv"
    assert corpus_tables.main(["--atop", str(path), "--check"]) == 0
    stale = tmp_path / "corpus.md"
    stale.write_text(DOC.read_text(encoding="utf-8").replace("| 3485 |", "| 3486 |"))
    monkeypatch.setattr(corpus_tables, "DOC", stale)
    assert corpus_tables.main(["--atop", str(path), "--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert corpus_tables.main(["--atop", str(tmp_path / "none.csv")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
