"""The generated tables of docs/corpus.md: the ATOP accounting and the share of verified dates.

Each lives between ``<!-- begin generated: NAME -->`` and ``<!-- end generated: NAME -->``;
:func:`splice` replaces what lies between, so the hand-written text around them stays.
``python -m scripts.corpus_tables`` regenerates them; a test fails when they are stale.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import polars as pl

from ..errors import CorpusError
from . import accounting, sourcing
from .loader import Corpus


def last_coded(members: pl.DataFrame) -> date:
    """The last day the member-level rows code: their latest entry or exit day."""
    from ..datasets import atop

    spans = atop.with_spans(members)
    last_exit = spans["end"].drop_nulls().max()
    candidates = [spans["start"].max()] + ([last_exit - timedelta(days=1)] if last_exit is not None else [])
    return max(candidates)


def sections(members: pl.DataFrame, version: str, corpus: Corpus) -> dict[str, str]:
    """The generated tables by name, from the ATOP member-level rows and the corpus."""
    live = accounting.live_at_end(members)
    return {
        "atop-accounting": accounting.table(live, accounting.bundled_entries(), corpus, version,
                                            last_coded(members), accounting.live_out_of_scope(members)),
        "verified-dates": sourcing.table(corpus),
    }


def splice(text: str, generated: dict[str, str]) -> str:
    """``text`` with each named generated block replaced; an error names a missing marker."""
    for name, body in generated.items():
        pattern = re.compile(rf"(<!-- begin generated: {re.escape(name)} -->\n).*?(<!-- end generated: "
                             rf"{re.escape(name)} -->)", re.S)
        if not pattern.search(text):
            raise CorpusError(f"docs/corpus.md: no block `<!-- begin generated: {name} -->` ... `<!-- end ... -->`")
        text = pattern.sub(lambda m, body=body: m.group(1) + body + "\n" + m.group(2), text)
    return text
