"""foedus: who is bound to help whom when a state is attacked, how strongly, by which article."""

from .cascade import Cascade, Side, cascade, cascade_event, prepare
from .compare import Comparison, compare
from .corpus.loader import Corpus, load_corpus
from .engine import Assessment, assess, assess_event, make_event
from .errors import FoedusError
from .reliability import Simulation, simulate
from .states import resolve as resolve_state
from .sweep import sweep_date, sweep_years

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
