"""Every ATOP alliance still live at the end of ATOP's coverage, accounted for.

An alliance is *live* when at least one of its member rows has no exit (``yrexit == 0``), and *in
scope* when a live row codes a defence, consultation or neutrality obligation (the kinds the corpus
claims to cover). Each one in scope is either linked to a curated treaty (``atop_id`` in a treaty
file, read from the corpus) or has an entry in ``atop-accounting.yaml``: replaced, lapsed or in
force with a source, or status unknown. :func:`tables` renders the table that
``python -m scripts.corpus_tables`` writes into docs/corpus.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache
from importlib import resources
from pathlib import Path

import polars as pl
import yaml
from pydantic import ValidationError, model_validator

from ..errors import CorpusError
from ..model import Frozen
from .loader import Corpus

SCOPE = {"defense": "defence", "consul": "consultation", "neutral": "neutrality"}


class Status(str, Enum):
    """What became of an ATOP alliance after ATOP's coverage ends (linked ones are read from the corpus)."""

    REPLACED = "replaced"  # superseded by a named later instrument
    LAPSED = "lapsed"  # ended, or lost the obligation ATOP codes, with nothing in its place
    IN_FORCE = "in-force"  # a source says it is in force; no curated file codes it yet
    UNKNOWN = "unknown"  # no source seen either way


class Entry(Frozen):
    """One ATOP alliance's fate, as the accounting file records it."""

    atop: int
    status: Status
    name: str = ""
    by: str = ""  # the instrument that replaced it
    when: date | None = None  # when it was replaced or lapsed, where a source gives it
    source: str = ""  # the citation supporting the status
    url: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _sourced(self) -> Entry:
        if self.status is not Status.UNKNOWN and not self.source:
            raise ValueError(f"status {self.status.value} needs a source; with none, say unknown")
        if self.status is Status.REPLACED and not self.by:
            raise ValueError("status replaced needs `by`: the instrument that replaced it")
        return self


@dataclass(frozen=True)
class Live:
    """An ATOP alliance live at the end of coverage: its live members, first date and live obligations."""

    atop: int
    members: tuple[str, ...]
    begins: date
    kinds: tuple[str, ...]

    @property
    def defence(self) -> bool:
        """True when a live row codes a defence obligation."""
        return "defence" in self.kinds


def accounting_path() -> Path:
    """The bundled accounting file."""
    return Path(str(resources.files("foedus").joinpath("corpus/atop-accounting.yaml")))


def load(path: Path | None = None) -> dict[int, Entry]:
    """The accounting entries by ATOP id; errors name the file, the entry and the field."""
    path = path or accounting_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: cannot read the accounting file ({exc})") from None
    rows = data.get("alliances") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise CorpusError(f"{path}: expected a mapping with a list `alliances`")
    out: dict[int, Entry] = {}
    for i, row in enumerate(rows):
        try:
            entry = Entry.model_validate(row)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(entry)"
            raise CorpusError(f"{path}: alliances.{i}: {field}: {err['msg']}") from None
        if entry.atop in out:
            raise CorpusError(f"{path}: alliances.{i}: ATOP {entry.atop} is listed twice")
        out[entry.atop] = entry
    return out


@cache
def bundled_entries() -> dict[int, Entry]:
    """The bundled accounting entries, loaded once per process."""
    return load()


def live_at_end(members: pl.DataFrame) -> dict[int, Live]:
    """The alliances in scope (a live defence, consultation or neutrality obligation), by ATOP id."""
    from ..datasets import atop

    rows = atop.with_spans(members)
    live = rows.filter(pl.col("yrexit") == 0)
    out: dict[int, Live] = {}
    for (aid,), group in live.group_by(["atopid"]):
        kinds = tuple(name for col, name in SCOPE.items() if group[col].fill_null(0).sum() > 0)
        if not kinds:
            continue
        begins = rows.filter(pl.col("atopid") == aid)["start"].min()
        ids = tuple(dict.fromkeys(atop.state_id(int(m)) for m in group.sort("member")["member"]))
        out[int(aid)] = Live(int(aid), ids, begins, kinds)
    return dict(sorted(out.items()))


def live_out_of_scope(members: pl.DataFrame) -> int:
    """How many live alliances code only non-aggression or offence (outside the corpus claim)."""
    live = members.filter(pl.col("yrexit") == 0)
    return live["atopid"].n_unique() - len(live_at_end(members))


def links(corpus: Corpus) -> dict[int, str]:
    """ATOP id -> the curated treaty that links it."""
    return {aid: t.id for t in corpus if t.origin == "curated" for aid in t.atop_ids}


def distinct(corpus: Corpus) -> dict[int, list[str]]:
    """ATOP id -> the curated treaties that declare it a different commitment."""
    out: dict[int, list[str]] = {}
    for t in corpus:
        for d in t.atop_distinct:
            out.setdefault(d.id, []).append(t.id)
    return out


def problems(live: dict[int, Live], entries: dict[int, Entry], corpus: Corpus) -> list[str]:
    """Why the accounting is incomplete or inconsistent (empty when it is sound)."""
    linked = links(corpus)
    out = [f"ATOP {aid} is live at the end of coverage but neither linked nor in the accounting file"
           for aid in live if aid not in linked and aid not in entries]
    out += [f"ATOP {aid} is linked to {linked[aid]}; drop its accounting entry" for aid in entries if aid in linked]
    out += [f"ATOP {aid} is in the accounting file but not live at the end of coverage (or out of scope)"
            for aid in entries if aid not in live]
    return out


def _names(ids: Iterable[str]) -> str:
    from .. import states

    ids = list(ids)
    shown = [states.name(i) for i in ids[:4]]
    return ", ".join(shown) + (f" and {len(ids) - 4} more" if len(ids) > 4 else "")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _detail(aid: int, entry: Entry | None, linked: dict[int, str], apart: dict[int, list[str]]) -> tuple[str, str]:
    if aid in linked:
        return "linked", f"`{linked[aid]}`"
    assert entry is not None
    parts = [entry.name] if entry.name else []
    if entry.by:
        parts.append(f"Replaced by {entry.by}" + (f" ({entry.when})" if entry.when else ""))
    elif entry.when:
        parts.append(f"From {entry.when}")
    if aid in apart:
        parts.append("Declared a different commitment by " + ", ".join(f"`{t}`" for t in apart[aid]))
    if entry.note:
        parts.append(entry.note)
    if entry.source:
        parts.append(f"Source: [{entry.source}]({entry.url})" if entry.url else f"Source: {entry.source}")
    return entry.status.value, _cell(". ".join(p.rstrip(".") for p in parts))


def table(live: dict[int, Live], entries: dict[int, Entry], corpus: Corpus, version: str, last: date,
          out_of_scope: int) -> str:
    """The accounting as markdown: counts, then one row per alliance (defence first)."""
    linked, apart = links(corpus), distinct(corpus)
    rows, counts = [], {True: {}, False: {}}
    for aid, a in sorted(live.items(), key=lambda kv: (not kv[1].defence, kv[0])):
        status, detail = _detail(aid, entries.get(aid), linked, apart)
        counts[a.defence][status] = counts[a.defence].get(status, 0) + 1
        rows.append(f"| {aid} | {_cell(_names(a.members))} | {a.begins} | {', '.join(a.kinds)} | {status} | {detail} |")
    order = ["linked", *(s.value for s in Status)]

    def line(label: str, c: dict[str, int]) -> str:
        return f"- {label}: {sum(c.values())} — " + ", ".join(f"{c.get(s, 0)} {s}" for s in order)

    head = [
        f"ATOP {version} codes alliances through {last}. On that date {len(live)} alliances are still live with a "
        f"defence, consultation or neutrality obligation; a further {out_of_scope} code only non-aggression or "
        "offence and are outside the corpus claim.",
        "",
        line("with a defence obligation", counts[True]),
        line("consultation or neutrality only", counts[False]),
        "",
        "`linked`: a curated file codes it (its `atop_id`); `replaced`, `lapsed`, `in-force` (not yet coded):",
        "a source says so; `unknown`: no source seen either way. Parties are those live at the end of coverage.",
        "",
        "| ATOP | parties | begins | obligations | status | detail and source |",
        "|---|---|---|---|---|---|",
    ]
    return "\n".join(head + rows)
