"""Dates as users give them: ``date``, ``datetime`` or ``YYYY-MM-DD`` text, read one way everywhere.

The CLI, the API and the Python functions all pass what they receive through :func:`as_date`, so
``on="2025-03-01"``, ``on=datetime(2025, 3, 1, 12)`` and ``--on 2025-03-01`` mean the same day, and a
number (``20250301``, ``True``) is refused rather than read as a count of seconds or days.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .errors import FoedusError

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_date(value: date | datetime | str | None, what: str = "date") -> date | None:
    """The day ``value`` names (``None`` stays ``None``); a one-line error for anything else."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO.fullmatch(text):  # fromisoformat also reads 20250301 and 2025-W10-1; only YYYY-MM-DD is a date here
            try:
                return date.fromisoformat(text)
            except ValueError as exc:
                raise FoedusError(f"bad {what}: {value!r} ({exc})") from None
        raise FoedusError(f"bad {what}: {value[:40]!r} (use YYYY-MM-DD)")
    raise FoedusError(f"bad {what}: {value!r} is a {type(value).__name__}, not a date (use YYYY-MM-DD)")
