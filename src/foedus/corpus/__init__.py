"""The bundled corpus of curated treaties: one YAML file per treaty, validated on load.

The loader (YAML and the pydantic model) is imported when one of its names is first asked for, so
a command that needs only the bundled folder (the corpus digest reads its files) loads neither.
"""

from __future__ import annotations

from importlib import import_module, resources
from pathlib import Path

__all__ = ["Corpus", "bundled_dir", "load_corpus", "load_treaty_file"]
_FROM_LOADER = ("Corpus", "load_corpus", "load_treaty_file")


def bundled_dir() -> Path:
    """The folder holding the bundled treaty files."""
    return Path(str(resources.files("foedus").joinpath("corpus/treaties")))


def __getattr__(name: str) -> object:
    """The loader's public names, imported on first access (PEP 562)."""
    if name not in _FROM_LOADER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(".loader", __name__), name)
    globals()[name] = value
    return value
