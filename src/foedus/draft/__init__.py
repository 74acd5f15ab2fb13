"""Drafting a treaty coding from a treaty text or a news report (``foedus draft``).

``reading`` finds the main text and its articles or quotations; ``facts`` the parties, dates and
compared treaties; ``cues`` holds the explicit rules and ``learn`` what is learned from the
curated corpus; ``propose`` builds the draft; ``output`` writes it as a treaty file; ``evaluate``
measures it leave-one-treaty-out; ``view`` shows it in the terminal.
"""

from __future__ import annotations

from ..corpus.loader import Corpus, bundled
from .propose import Draft, draft
from .reading import read

__all__ = ["Draft", "draft_source"]


def draft_source(source: str, corpus: Corpus | None = None) -> Draft:
    """Draft the coding of a file (treaty text, report, saved HTML) or ``-`` for standard input."""
    return draft(read(source), corpus if corpus is not None else bundled())
