"""At 80 columns the terminal renderings keep every word whole, and article titles keep their number."""

from __future__ import annotations

import io
from datetime import date

import pytest
from rich.console import Console

from foedus import render
from foedus.compare import FIELDS, describe
from foedus.corpus.loader import bundled
from foedus.engine import assess


def _text(renderable, width: int = 80) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def _words(*texts: str) -> set[str]:
    return {w for t in texts for w in str(t).split()}


def _missing(words: set[str], out: str) -> list[str]:
    tokens = set(out.split())
    return sorted(w for w in words if w not in tokens and not any(w in tok for tok in tokens))


@pytest.mark.parametrize("treaty_id", sorted(t.id for t in bundled()))
def test_show_keeps_every_word_of_the_coding_whole(treaty_id):
    t = bundled().get(treaty_id)
    out = _text(render.treaty(t))
    fields = [v for o in t.obligations for v in describe(t, o).values()] + [o.id for o in t.obligations]
    assert _missing(_words(*fields), out) == []
    assert all(len(line) <= 80 for line in out.splitlines())
    assert all(f in out for f in FIELDS)


@pytest.mark.parametrize("on", [None, date(1960, 1, 1), date(2025, 3, 1)])
def test_treaties_keep_ids_dates_and_names_whole(on):
    items = bundled().select(on=on)
    out = _text(render.treaties(items, on))
    shown = [("not yet" if t.awaiting_entry_into_force else t.in_force) for t in items]  # unratified: no date
    expected = _words(*(x for t, start in zip(items, shown, strict=True) for x in (t.id, t.short_name or t.name, start)))
    assert _missing(expected, out) == []
    assert all(len(line) <= 80 for line in out.splitlines())


def test_treaties_fall_back_to_one_entry_each_on_a_narrow_terminal():
    items = bundled().select()
    out = _text(render.treaties(items), width=50)
    assert _missing(_words(*(t.id for t in items)), out) == []
    assert all(len(line) <= 50 for line in out.splitlines())


@pytest.mark.parametrize(("target", "attackers", "on"), [("PRK", ["KOR"], date(2025, 3, 1)),
                                                         ("POL", ["RUS"], date(2025, 3, 1)),
                                                         ("JPN", ["CHN"], date(2025, 3, 1))])
def test_assess_keeps_names_whole_and_every_quoted_article_titled_with_its_number(target, attackers, on):
    a = assess(target, attackers, on)
    out = _text(render.assessment(a))
    quoted = {(f.treaty, f.article) for f in a.findings if f.status.value in ("obligated", "conditional") and f.text}
    assert quoted
    for _, article in quoted:
        assert f"Article {article}," in out
    from foedus import states

    names = _words(*(states.name(s) for f in a.findings for s in (f.obligor, f.beneficiary)))
    assert _missing(names, out) == []
