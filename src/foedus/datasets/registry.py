"""The datasets foedus knows: names, files, default download location and pinned checksums.

The official ATOP and COW files could not be reached when the checksums were pinned, so
each pin is the sha256 of the copy kept with the project's reference data (see
docs/atop.md). ``FOEDUS_MIRROR`` or ``foedus data fetch --url`` point the fetcher at
another base URL; ``--sha256 FILE=HEX`` accepts a different release explicitly.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from ..config import data_dir
from ..errors import FoedusError

MIRROR_ENV = "FOEDUS_MIRROR"


@dataclass(frozen=True)
class DataFile:
    """One file of a dataset, with its pinned sha256 and size in bytes."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Dataset:
    """A dataset: its files, where they are published, and how to cite it."""

    name: str
    title: str
    version: str
    base_url: str
    files: tuple[DataFile, ...]
    citation: str

    def file(self, name: str) -> DataFile:
        """The file with this name."""
        for f in self.files:
            if f.name == name:
                return f
        raise FoedusError(f"dataset {self.name} has no file {name!r} (files: {', '.join(f.name for f in self.files)})")

    def path(self, name: str) -> Path:
        """Where the file is kept once fetched: ``data_dir()/<dataset>/<file>``."""
        return data_dir() / self.name / self.file(name).name


ATOP_CITATION = (
    "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell, and Andrew G. Long. 2002. "
    '"Alliance Treaty Obligations and Provisions, 1815-1944." International Interactions 28: 237-260; '
    "and the ATOP codebook of the version used (atopdata.org)."
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            name="atop",
            title="Alliance Treaty Obligations and Provisions (ATOP)",
            version="4.01 alliance and member level; 5.1 directed dyad-year obligations",
            base_url="https://www.atopdata.org/data/",
            files=(
                DataFile(
                    "atop4_01_alliance_level.csv",
                    "84f6e5a488db64e2b04db3143ebb99b4d1c1a57073e388f44f04b0ccfa3a814e",
                    187739,
                ),
                DataFile(
                    "atop4_01_member_level.csv",
                    "37533634acbba64af9b900425fad50fcecb69f4a80f9f1d22d9847911bf21e40",
                    543083,
                ),
                DataFile(
                    "atop5_1_ddyr_obligations_peacesciencer.csv",
                    "681567e23d41c85f7d466308a55241238c15be1225b91852e360cfee4ab27719",
                    6191742,
                ),
            ),
            citation=ATOP_CITATION,
        ),
        Dataset(
            name="cow-states",
            title="Correlates of War State System Membership List",
            version="2016",
            base_url="https://correlatesofwar.org/data-sets/state-system-membership/",
            files=(
                DataFile("states2016.csv", "76733bacf602007038b72e2ebec24d37a34ba6dc36793eb7c894af82e952f735", 10603),
            ),
            citation='Correlates of War Project. 2017. "State System Membership List, v2016." correlatesofwar.org.',
        ),
    )
}


def get(name: str) -> Dataset:
    """The dataset with this name, or an error listing the known ones."""
    if name in DATASETS:
        return DATASETS[name]
    close = difflib.get_close_matches(name, list(DATASETS), n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise FoedusError(f"unknown dataset: {name!r} (known: {', '.join(DATASETS)}){hint}")


def base_url(dataset: Dataset, override: str | None = None) -> str:
    """The base URL to fetch from: ``override``, else ``FOEDUS_MIRROR``, else the default."""
    url = override or os.environ.get(MIRROR_ENV) or dataset.base_url
    return url if url.endswith("/") else url + "/"
