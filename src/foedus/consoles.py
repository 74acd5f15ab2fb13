"""The rich consoles the commands print with, made on first use.

Importing rich costs a command about 0.04 s of its start-up (``rich.console`` and, for the
progress bars, ``rich.progress``); commands that print plain lines, such as the panels, never
pay it. :class:`LazyConsole` stands for ``rich.console.Console(**options)`` and makes it at the
first attribute asked of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class LazyConsole:
    """A ``rich.console.Console(**options)`` made when first used."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)
