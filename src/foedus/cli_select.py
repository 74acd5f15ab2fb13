"""Build only the command a call names.

Before it parses anything, typer turns every registered command into a click command, reading
each function's signature and type hints: for a one-command call that costs more than many
commands' work. :func:`selected` gives a copy of the app that registers only the command (or
command group) the arguments name, so typer builds that one; the names, options, help and errors
of that command are the same. Where the arguments name no known command, or start with an
option other than ``--corpus``, the whole app answers (the list of commands, suggestions for a
misspelt name, shell completion).
"""

from __future__ import annotations

from copy import copy

import typer
from typer.main import get_command_name, solve_typer_info_defaults
from typer.models import TyperInfo

from .launch import completing


def command_name(args: list[str]) -> str | None:
    """The command ``args`` name after the global ``--corpus`` options, or None when they name none."""
    it = iter(args)
    for a in it:
        if a == "--corpus":
            next(it, None)
        elif not a.startswith("--corpus="):
            return None if a.startswith("-") else a
    return None


def _only(app: typer.Typer, name: str) -> typer.Typer | None:
    """A copy of ``app`` registering only what makes the command ``name``, or None when it makes none."""
    commands = [c for c in app.registered_commands if (c.name or get_command_name(c.callback.__name__)) == name]
    groups: list[TyperInfo] = []
    for group in app.registered_groups:
        group_name = solve_typer_info_defaults(group).name
        if group_name == name:
            groups.append(group)
        elif not group_name and group.typer_instance is not None:  # its commands are the app's own
            inner = _only(group.typer_instance, name)
            if inner is not None:
                groups.append(copy(group))
                groups[-1].typer_instance = inner
    if not commands and not groups:
        return None
    narrowed = copy(app)
    narrowed.registered_commands, narrowed.registered_groups = commands, groups
    return narrowed


def selected(app: typer.Typer, args: list[str]) -> typer.Typer:
    """``app`` narrowed to the command ``args`` name, or the whole app (see the module's docstring)."""
    name = command_name(args)
    if name is None or completing():
        return app
    return _only(app, name) or app
