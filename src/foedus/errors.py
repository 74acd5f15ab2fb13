"""User-facing errors: each carries one line saying what went wrong and where."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

E = TypeVar("E", bound=Enum)


class FoedusError(Exception):
    """An error caused by user input or data; the CLI prints it as one line and exits 1."""


class UnknownStateError(FoedusError):
    """A state name or code that cannot be resolved."""


class AmbiguousStateError(UnknownStateError):
    """A state name that fits several states ("Korea", "Congo"): the user must pick one."""


class StateNotInSystemError(FoedusError):
    """A state named for a date on which it was not a member of the state system."""


class UnknownTreatyError(FoedusError):
    """A treaty id that is not in the corpus."""


class UnknownPlaceError(FoedusError):
    """A place name that is not in the gazetteer."""


class CorpusError(FoedusError):
    """A treaty file that does not parse or validate."""


class DataError(FoedusError):
    """A dataset that is missing, corrupt, or fails its checksum."""


def choice(kind: type[E], value: E | str, what: str) -> E:
    """The member of ``kind`` named by ``value``, in any case; else an error listing the choices."""
    if isinstance(value, kind):
        return value
    text = str(value).strip().lower()
    for member in kind:
        if member.value.lower() == text or member.name.lower() == text.replace("-", "_"):
            return member
    names = ", ".join(m.value for m in kind)
    raise FoedusError(f"bad {what}: {str(value)[:40]!r} (one of {names})")


class StoreBusyError(DataError):
    """The store is locked by another process (an import is writing it); retrying later works."""
