"""The bundled corpus of curated treaties: one YAML file per treaty, validated on load."""

from .loader import Corpus, bundled_dir, load_corpus, load_treaty_file

__all__ = ["Corpus", "bundled_dir", "load_corpus", "load_treaty_file"]
