"""Reading a treaty text or a news report: main text from HTML, then articles or quoted passages."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import FoedusError

MIN_QUOTE_WORDS = 12  # a shorter quotation is a remark, not treaty language

ARTICLE_HEADING = re.compile(
    r"^[ \t*#]*(?:Article|ARTICLE|Art\.)\s+(\d+[a-z]?(?:\(\d+\))?|[IVXLC]+(?:\(\d+\))?)\b\.?[*:]*[ \t]*", re.MULTILINE)
_QUOTE_MARK = re.compile(r"[\"“”]")
_ARTICLE_REF = re.compile(r"\b(?:Article|Art\.)\s+(\d+[a-z]?(?:\(\d+\))?|[IVXLC]+)\b")
_HTML = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    """A piece of treaty language: an article of a treaty text, or a quotation in a report."""

    number: str  # the article number, or "quote-N" where the report does not say
    text: str
    start: int  # offset of the text in the document
    quoted: bool  # True: quoted in a report; False: an article of the treaty text


@dataclass(frozen=True)
class Document:
    """The main text of the input, its title and the passages found in it."""

    source: str
    text: str
    title: str
    date_hint: str | None  # the publication date the HTML carries, if any
    passages: tuple[Passage, ...]

    @property
    def is_treaty_text(self) -> bool:
        """True when the text was split into articles (a treaty), False for a report's quotations."""
        return bool(self.passages) and not self.passages[0].quoted


def read_source(source: str) -> tuple[str, str]:
    """The raw text of a file, or of standard input for ``-``, with a name for it."""
    if source == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8"), path.name
    except FileNotFoundError:
        raise FoedusError(f"{source}: no such file") from None
    except UnicodeDecodeError as exc:
        raise FoedusError(f"{source}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise FoedusError(f"{source}: cannot read ({exc.strerror})") from None


def main_text(raw: str, name: str) -> tuple[str, str, str | None]:
    """``(text, title, date)``: for HTML, the article body trafilatura finds; plain text as it is."""
    if not _HTML.search(raw[:2000]):
        title = next((line.strip(" #*") for line in raw.splitlines() if line.strip()), "")
        return raw, title, None
    import trafilatura

    text = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_recall=True)
    if not text or not text.strip():
        raise FoedusError(f"{name}: no main text found in the HTML")
    meta = trafilatura.extract_metadata(raw)
    title = (meta.title if meta and meta.title else "") or text.strip().splitlines()[0]
    return text, title, (meta.date if meta else None)


def articles(text: str) -> list[Passage]:
    """The articles of a treaty text, split at headings such as ``Article 4`` (none if fewer than two)."""
    heads = list(ARTICLE_HEADING.finditer(text))
    if len(heads) < 2:
        return []
    out: list[Passage] = []
    seen: set[str] = set()
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        body = " ".join(text[m.end():end].split())
        if body and m.group(1) not in seen:
            seen.add(m.group(1))
            out.append(Passage(m.group(1), body, m.end(), quoted=False))
    return out


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each quotation: curly marks open and close, straight ones alternate."""
    spans, opened = [], None
    for m in _QUOTE_MARK.finditer(text):
        mark = m.group(0)
        if opened is None and mark != "”":
            opened = m.end()
        elif opened is not None and mark != "“":
            spans.append((opened, m.start()))
            opened = None
    return spans


def quotations(text: str) -> list[Passage]:
    """Quoted treaty language in a report, numbered by the article the report names next to it.

    Quotations of the same article are joined with " ... " in the order they appear.
    """
    found: dict[str, list[tuple[int, str]]] = {}
    unnamed = 0
    last_end = 0
    for start, end in _quoted_spans(text):
        body = " ".join(text[start:end].split()).strip(" ,")
        if len(body.split()) < MIN_QUOTE_WORDS:
            continue
        before = text[max(last_end, start - 300):start]
        para_start = before.rfind("\n\n")
        refs = _ARTICLE_REF.findall(before[para_start + 1:] if para_start >= 0 else before)
        after = _ARTICLE_REF.findall(text[end:end + 60].split("\n")[0])
        number = refs[-1] if refs else (after[0] if after else None)
        if number is None:
            unnamed += 1
            number = f"quote-{unnamed}"
        found.setdefault(number, []).append((start, body))
        last_end = end
    return [Passage(n, " ... ".join(b for _, b in parts), parts[0][0], quoted=True) for n, parts in found.items()]


def read(source: str) -> Document:
    """Read a file (or ``-``), extract its main text, and find its articles or quoted passages."""
    raw, name = read_source(source)
    return document(raw, name)


def document(raw: str, name: str) -> Document:
    """A document from raw text or HTML (see :func:`read`)."""
    if not raw.strip():
        raise FoedusError(f"{name}: the input is empty")
    text, title, date_hint = main_text(raw, name)
    passages = articles(text) or quotations(text)
    if not passages:
        passages = [Passage("1", " ".join(text.split()), 0, quoted=False)]
    return Document(name, text, title, date_hint, tuple(passages))
