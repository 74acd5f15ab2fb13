"""foedus: who is bound to help whom when a state is attacked, how strongly, by which article."""

from .compare import Comparison, compare
from .corpus.loader import Corpus, load_corpus
from .engine import Assessment, assess, assess_event, make_event
from .errors import FoedusError
from .states import resolve as resolve_state

__all__ = [
    "Assessment",
    "Comparison",
    "Corpus",
    "FoedusError",
    "assess",
    "assess_event",
    "compare",
    "load_corpus",
    "make_event",
    "resolve_state",
]
__version__ = "0.1.0"
