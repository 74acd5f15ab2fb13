"""Run every benchmark module in turn (`make bench`)."""

from __future__ import annotations

import pkgutil
import runpy
import sys
from pathlib import Path


def main() -> None:
    """Run each `benchmarks.<name>` module as `python -m` would, in name order."""
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_"))
    for name in names:
        print(f"== benchmarks.{name}", flush=True)
        runpy.run_module(f"benchmarks.{name}", run_name="__main__")
    if not names:
        sys.exit("no benchmarks found")


if __name__ == "__main__":
    main()
