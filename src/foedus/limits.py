"""Bounds on the size arguments users give, so no input can make a command run out of memory or time.

Each check raises :class:`~foedus.errors.FoedusError` with one line naming the argument, the value
and the allowed range. The CLI, the API and the library functions share these checks.
"""

from __future__ import annotations

import re

from .errors import FoedusError

MAX_DRAWS = 10_000_000  # Monte Carlo draws of one run: about a minute per million on two cores
MAX_SEED = 2**63 - 1
_YEARS = re.compile(r"\s*(\d{1,4})\s*(?:-\s*(\d{1,4})\s*)?")


def _show(value: object, width: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 5] + "...'"


def draws(n: int) -> int:
    """``n`` if it is a number of draws between 1 and :data:`MAX_DRAWS`."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_DRAWS:
        raise FoedusError(f"bad --draws: {_show(n)} (use a whole number from 1 to {MAX_DRAWS:,})")
    return n


def seed(n: int) -> int:
    """``n`` if it is a seed between 0 and :data:`MAX_SEED`."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_SEED:
        raise FoedusError(f"bad --seed: {_show(n)} (use a whole number from 0 to 2**63-1)")
    return n


def port(n: int) -> int:
    """``n`` if it is a TCP port number (1-65535)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 65535:
        raise FoedusError(f"bad --port: {_show(n)} (use a TCP port from 1 to 65535)")
    return n


def cow_years() -> tuple[int, int]:
    """The COW state-system list's coverage when none is installed (v2016's years)."""
    from .states import COW_COVERAGE_END, SYSTEM_START  # on use: the state list loads pydantic's model

    return SYSTEM_START.year, COW_COVERAGE_END.year


def parse_years(text: str, coverage: tuple[int, int] | None = None, checked: bool = True) -> tuple[int, int]:
    """``"1816-2016"`` or ``"1975"`` as ``(first, last)``, both inside ``coverage`` (default: :func:`cow_years`);
    with ``checked=False`` the caller checks the span against the list it uses."""
    m = _YEARS.fullmatch(str(text))
    if m is None:
        raise FoedusError(f"bad --years: {_show(text)} (use FIRST-LAST, e.g. 1816-2016, or one year)")
    first = int(m[1])
    last = int(m[2]) if m[2] else first
    if first > last:
        raise FoedusError(f"bad --years: {_show(text)} (the first year is after the last)")
    return year_span((first, last), coverage) if checked else (first, last)


def year_span(span: tuple[int, int], coverage: tuple[int, int] | None = None) -> tuple[int, int]:
    """``span`` if it is an ordered pair of years inside ``coverage`` (default: :func:`cow_years`)."""
    first, last = span
    lo, hi = coverage or cow_years()
    if not lo <= first <= last <= hi:
        raise FoedusError(f"bad --years: {first}-{last} is reversed or outside the COW state system list ({lo}-{hi})")
    return first, last
