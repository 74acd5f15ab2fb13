"""Regenerate the generated tables of docs/corpus.md (ATOP accounting, verified dates).

    python -m scripts.corpus_tables [--atop PATH/atop4_01_member_level.csv] [--check]

Reads the ATOP member-level file (default: the fetched one, `foedus data fetch atop`), the bundled
corpus and src/foedus/corpus/atop-accounting.yaml. `--check` changes nothing and exits 1 when the
file is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from foedus.corpus.doc_tables import sections, splice
from foedus.corpus.loader import bundled
from foedus.datasets import atop
from foedus.datasets.registry import get
from foedus.errors import FoedusError

DOC = Path(__file__).resolve().parents[1] / "docs" / "corpus.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atop", type=Path, help="the ATOP 4.01 member-level CSV")
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/corpus.md is stale; write nothing")
    args = parser.parse_args(argv)
    path = args.atop or get("atop").path("atop4_01_member_level.csv")
    try:
        if not path.is_file():
            raise FoedusError(f"{path}: no such file; pass --atop or run `foedus data fetch atop`")
        members = atop.read(path)
        text = DOC.read_text(encoding="utf-8")
        new = splice(text, sections(members.frame, members.version, bundled()))
    except FoedusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if new != text:
            print(f"{DOC}: stale; run `python -m scripts.corpus_tables`", file=sys.stderr)
            return 1
        return 0
    if new != text:
        DOC.write_text(new, encoding="utf-8")
    print(f"{DOC}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
