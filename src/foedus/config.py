"""Where foedus keeps user data: the downloaded datasets and the store."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The user data directory (``FOEDUS_DATA_DIR`` overrides the platform default)."""
    if os.environ.get("FOEDUS_DATA_DIR"):
        return Path(os.environ["FOEDUS_DATA_DIR"])
    from platformdirs import user_data_dir  # imported only when needed: it costs start-up time

    return Path(user_data_dir("foedus", appauthor=False))
