"""Each date in a treaty file names its source or is marked uncertain; the ATOP link fields
(`atop_id` as an int or a list, `atop_distinct`) and the date-source fields are validated by the loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from foedus.corpus import sourcing
from foedus.corpus.loader import bundled, bundled_dir, load_treaty_file
from foedus.errors import CorpusError

NATO = bundled_dir() / "nato-1949.yaml"


@pytest.mark.parametrize("path", sorted(bundled_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_every_date_names_a_source_or_is_marked_uncertain(path):
    treaty = load_treaty_file(path)
    fields = list(sourcing.date_fields(treaty))
    assert [f.field for f in fields if f.status == "unsourced"] == []
    # every date the file codes is counted: signature, entry into force, end, and each spell's start and end
    expected = sum(d is not None for d in (treaty.signed, treaty.in_force, treaty.ended))
    expected += sum(1 + (s.end is not None) for s in (*treaty.parties, *treaty.suspensions))
    assert len(fields) == expected


def _raw_counts() -> tuple[int, int]:
    """(verified, all) dates, counted from the YAML text without the model, as a cross-check."""
    verified = total = 0
    for path in bundled_dir().glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("signed", "in_force", "ended"):
            if doc.get(key) is not None:
                total += 1
                ds = (doc.get("date_sources") or {}).get(key) or {}
                verified += bool(ds.get("source")) and not ds.get("uncertain", False)
        for spell in [*doc.get("parties", []), *doc.get("suspensions", [])]:
            n = 1 + (spell.get("end") is not None)
            total += n
            verified += n * (bool(spell.get("source")) and not spell.get("uncertain", False))
    return verified, total


def test_the_verified_share_in_the_table_matches_an_independent_count():
    verified, total = _raw_counts()
    head = sourcing.table(bundled()).splitlines()[1]
    assert f"**{verified} ({verified / total:.1%}) are verified**" in head
    assert 0 < verified < total


def test_known_corrections_carry_their_sources():
    rio = bundled().get("rio-1947")
    ven = [m for m in rio.parties if m.state == "VEN"]
    assert ven[0].end.year == 2015 and ven[0].source == "atop"
    (tto,) = [m for m in rio.parties if m.state == "TTO"]
    assert str(tto.start) == "1967-04-06" and tto.source
    (cuba,) = [m for m in rio.parties if m.state == "CUB"]
    assert cuba.uncertain and "1960" in cuba.note and "1962" in cuba.note
    libya = [m for m in bundled().get("arab-league-1950").parties if m.state == "LBY"]
    assert [(str(m.start), str(m.end) if m.end else None) for m in libya] == [
        ("1964-09-11", "2011-02-22"), ("2011-08-27", None)]
    assert all(m.source for m in libya)


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the NATO file with ``old`` replaced by ``new`` (which must change it)."""
    path = tmp_path / NATO.name
    path.write_text(NATO.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != NATO.read_text(encoding="utf-8")
    return path


def test_a_spell_naming_an_unknown_source_is_refused_with_its_line(tmp_path):
    path = _edited(tmp_path, "{state: GRC, start: 1952-02-18, source: nato-60}",
                   "{state: GRC, start: 1952-02-18, source: nato-61}")
    with pytest.raises(CorpusError) as exc:
        load_treaty_file(path)
    line = 1 + path.read_text(encoding="utf-8").splitlines().index(
        "  - {state: GRC, start: 1952-02-18, source: nato-61}")
    assert str(exc.value).startswith(f"{path}:{line}: parties.12.source: ")
    assert "source 'nato-61' is not the id of one of this file's sources" in str(exc.value)


def test_a_date_source_for_a_date_the_file_does_not_give_is_refused(tmp_path):
    path = _edited(tmp_path, "  in_force: {source: wiki-2010}\n", "  in_force: {source: wiki-2010}\n  ended: {source: atop}\n")
    with pytest.raises(CorpusError, match=r"date_sources\.ended: .*names a source for ended, which the file does not give"):
        load_treaty_file(path)


def test_atop_id_loads_as_an_int_or_a_list(tmp_path):
    assert load_treaty_file(NATO).atop_ids == (3180,)
    path = _edited(tmp_path, "atop_id: 3180  #", "atop_id: [3180, 3740]  #")
    assert load_treaty_file(path).atop_ids == (3180, 3740)


@pytest.mark.parametrize(("new", "message"), [
    ("atop_id: [3180, 3180]  #", "atop_id: an ATOP id is listed twice"),
    ("atop_id: 3180\natop_distinct: [{id: 3180, reason: the same alliance twice over}]\n#",
     "atop_distinct.0.id: ATOP 3180 is both linked and declared distinct"),
    ("atop_id: 3180\natop_distinct: [{id: 3740, reason: no}]\n#", "atop_distinct.0.reason"),
    ("atop_id: 3180\natop_distinct: [{id: 3740}]\n#", "atop_distinct.0.reason"),
])
def test_bad_links_are_refused_naming_the_field(tmp_path, new, message):
    path = _edited(tmp_path, "atop_id: 3180  #", new)
    with pytest.raises(CorpusError) as exc:
        load_treaty_file(path)
    assert message in str(exc.value) and "\n" not in str(exc.value)
