"""User-facing errors: each carries one line saying what went wrong and where."""


class FoedusError(Exception):
    """An error caused by user input or data; the CLI prints it as one line and exits 1."""


class UnknownStateError(FoedusError):
    """A state name or code that cannot be resolved."""


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


class StoreBusyError(DataError):
    """The store is locked by another process (an import is writing it); retrying later works."""
