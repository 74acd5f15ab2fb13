"""``foedus new-treaty``: write a treaty file to fill in, valid as written, for ``--corpus`` and ``validate``."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from .dates import as_date
from .errors import FoedusError
from .outputs import atomic_output, check_target

TEMPLATE = """\
# A treaty coded for foedus. docs/coding-treaties.md says how each field is decided.
# Check it with `foedus validate {path}`; use it with `foedus --corpus {folder} assess ...`.
id: {id}  # must match the file name
name: {name}
short_name: ""
signed: null  # YYYY-MM-DD
in_force: {in_force}  # the day the treaty entered into force (YYYY-MM-DD)
ended: null  # the day it ended, or null while in force
parties:  # one spell per state: start, and end (null while a member); canonical ids (`foedus state NAME`)
{parties}
articles:  # quote each article an obligation cites, word for word
  - number: "1"
    verified: unverified  # verified | partly-verified | unverified, against an official text
    text: >-
      Replace with the article's text.
obligations:  # what each party owes: kind defense | offense | neutrality | nonaggression | consultation
  - id: art1-defense
    kind: defense
    article: "1"
    trigger: armed-attack  # armed-attack | aggression | state-of-war | threat | any-war | unknown
    means: unspecified  # all-means | necessary-action | constitutional-processes | consult | unspecified
    timing: unspecified  # immediate | without-delay | on-request | unspecified
sources:
  - citation: Replace with where the text and dates come from.
"""

_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def new_treaty(
    treaty_id: Annotated[str, typer.Argument(help="The treaty's id, lower case with dashes, e.g. fra-deu-2026.")],
    party: Annotated[list[str], typer.Option(help="A party (repeat; at least two): name or code.")] = [],  # noqa: B006
    in_force: Annotated[str | None, typer.Option(help="Entry into force, YYYY-MM-DD (default: today).")] = None,
    name: Annotated[str | None, typer.Option(help="The treaty's full name.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The file to write (default: ID.yaml).")] = None,
) -> None:
    """Write a treaty file to fill in: valid as written, every field explained.

    Example: foedus new-treaty fra-deu-2026 --party FRA --party DEU --in-force 2026-01-22
    """
    from . import states

    tid = treaty_id.strip().lower()
    if not _ID.fullmatch(tid):
        raise FoedusError(f"bad treaty id: {treaty_id[:40]!r} (lower-case letters, digits and dashes)")
    if len(party) < 2:
        raise FoedusError("give at least two parties: --party FRA --party DEU")
    ids = list(dict.fromkeys(states.state_id(p) for p in party))
    day = as_date(in_force, "--in-force") or date.today()
    path = check_target(output or Path(f"{tid}.yaml"), (".yaml",))
    if path.stem != tid:
        raise FoedusError(f"{path}: the file name must be the treaty id ({tid}.yaml)")
    if path.exists():
        raise FoedusError(f"{path}: already exists; choose another name or remove it")
    text = TEMPLATE.format(
        id=tid, path=path, folder=path.parent, in_force=day.isoformat(),
        name=_quoted(name or f"Treaty between {', '.join(states.name(i) for i in ids)}"),
        parties="\n".join(f"  - {{state: {i}, start: {day.isoformat()}}}" for i in ids),
    )
    with atomic_output(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    typer.echo(f"wrote {path}; fill it in, then: foedus validate {path}")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
