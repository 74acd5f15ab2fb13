"""``foedus draft``: a treaty text or a news report in, a draft coding with its evidence out."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from .consoles import LazyConsole
from .errors import FoedusError

console = LazyConsole()


def _write(path: Path, text: str) -> None:
    """Write the file whole or not at all."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.")
    except OSError as exc:
        raise FoedusError(f"{path}: cannot write ({exc.strerror})") from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def draft(
    source: Annotated[str | None, typer.Argument(help="A treaty text or news report: a text file, saved HTML, or - for stdin.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document (facts, proposals, the coding).")] = False,
    compare: Annotated[str | None, typer.Option(help="Set the draft beside this corpus treaty, as `foedus compare` does.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the treaty YAML here (its id is the file's name).")] = None,
    treaty_id: Annotated[str | None, typer.Option("--id", help="The draft treaty's id (default: from --output, else parties-year).")] = None,
    evaluate: Annotated[bool, typer.Option(help="Measure the drafter leave-one-treaty-out on the curated corpus instead.")] = False,
) -> None:
    """Draft the coding of a treaty text or a news report, with the evidence for every field.

    Example: foedus draft report.html --compare sun-prk-1961
    Example: foedus draft treaty.txt -o my-pact-2026.yaml && foedus validate my-pact-2026.yaml
    Example: foedus draft --evaluate
    """
    from . import cli
    from .corpus.loader import bundled
    from .draft import evaluate as evaluation

    if evaluate:
        report = evaluation.evaluate(bundled())
        if as_json:
            cli._emit(report.as_json())
        else:
            console.print(evaluation.table(report))
        return
    if source is None:
        raise FoedusError("give a treaty text, a saved HTML page or - (stdin), or --evaluate")
    from . import render
    from .compare import compare as compare_treaties
    from .draft import draft_source
    from .draft.output import to_yaml
    from .draft.view import review
    from .store import active_corpus

    d = draft_source(source)
    tid = treaty_id or (output.stem if output else None)
    treaty = d.treaty(tid)
    comparison = compare_treaties(treaty, compare, corpus=active_corpus()) if compare else None
    if output:
        _write(output, to_yaml(d, treaty))
    if as_json:
        doc = d.as_json(tid)
        if comparison is not None:
            doc["comparison"] = comparison.as_json()
        cli._emit(doc)
        return
    console.print(review(d))
    if comparison is not None:
        console.print(render.comparison(comparison))
    if output:
        console.print(f"wrote {output} ({treaty.id}); check it with: foedus validate {output}")
    elif comparison is None:
        from rich.rule import Rule

        console.print(Rule("treaty file (save with -o FILE)"))
        console.print(to_yaml(d, treaty), markup=False, highlight=False, soft_wrap=True)
