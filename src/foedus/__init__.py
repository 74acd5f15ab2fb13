"""foedus: who is bound to help whom when a state is attacked, how strongly, by which article."""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cascade import Cascade, Side, cascade, cascade_event, prepare
    from .compare import Comparison, compare
    from .corpus.loader import Corpus, load_corpus
    from .engine import Assessment, assess, assess_event, make_event
    from .errors import FoedusError
    from .reliability import Simulation, simulate
    from .states import resolve as resolve_state
    from .sweep import sweep_date, sweep_years

# name -> (module, attribute): imported on first use, so `import foedus.cli` does not pay for
# numpy, polars and networkx before a command needs them.
_EXPORTS = {
    "Assessment": (".engine", "Assessment"),
    "Cascade": (".cascade", "Cascade"),
    "Comparison": (".compare", "Comparison"),
    "Corpus": (".corpus.loader", "Corpus"),
    "FoedusError": (".errors", "FoedusError"),
    "Side": (".cascade", "Side"),
    "Simulation": (".reliability", "Simulation"),
    "assess": (".engine", "assess"),
    "assess_event": (".engine", "assess_event"),
    "cascade": (".cascade", "cascade"),
    "cascade_event": (".cascade", "cascade_event"),
    "compare": (".compare", "compare"),
    "load_corpus": (".corpus.loader", "load_corpus"),
    "make_event": (".engine", "make_event"),
    "prepare": (".cascade", "prepare"),
    "resolve_state": (".states", "resolve"),
    "simulate": (".reliability", "simulate"),
    "sweep_date": (".sweep", "sweep_date"),
    "sweep_years": (".sweep", "sweep_years"),
}

__all__ = [
    "Assessment",
    "Cascade",
    "Comparison",
    "Corpus",
    "FoedusError",
    "Side",
    "Simulation",
    "assess",
    "assess_event",
    "cascade",
    "cascade_event",
    "compare",
    "load_corpus",
    "make_event",
    "prepare",
    "resolve_state",
    "simulate",
    "sweep_date",
    "sweep_years",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """Import a public name's module on first access (PEP 562)."""
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'foedus' has no attribute {name!r}") from None
    value = getattr(import_module(module, __name__), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


class _Package(ModuleType):
    """Keeps ``foedus.cascade`` and ``foedus.compare`` the functions once their submodules load
    (an import binds a submodule on its package, which would hide the function of that name)."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, ModuleType) and _EXPORTS.get(name, ("", ""))[1] == name:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
