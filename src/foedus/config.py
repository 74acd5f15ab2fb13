"""Where foedus keeps user data: the downloaded datasets and the store."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    """The user data directory (``FOEDUS_DATA_DIR`` overrides the platform default)."""
    return Path(os.environ.get("FOEDUS_DATA_DIR") or user_data_dir("foedus", appauthor=False))
