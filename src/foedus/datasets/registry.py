"""The datasets foedus knows: their releases, where each publisher serves them, and which
files foedus keeps from each download.

The publishers' own files could not be reached when this list was written, so no checksum
is pinned: the first download of a release records its sha256 in the store, later fetches
verify against it, and ``foedus data status`` says it was recorded, not pinned
(docs/atop.md). ``FOEDUS_MIRROR`` or ``foedus data fetch --url`` point the fetcher at another
base URL (the download's file name is appended); ``--sha256 NAME=HEX`` accepts a checksum
explicitly.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import data_dir
from ..errors import FoedusError

MIRROR_ENV = "FOEDUS_MIRROR"
ATOP_UPLOADS = "http://www.atopdata.org/uploads/6/9/1/3/69134503/"
COW_UPLOADS = "https://correlatesofwar.org/wp-content/uploads/"


@dataclass(frozen=True)
class Kept:
    """A file foedus keeps from a download: its ``role``, its name, and where it sits in the zip."""

    role: str  # "alliance", "member", "ddyr" (ATOP) or "states" (COW)
    name: str
    inner: str | None = None  # the path inside the zip; None when the download is the file itself


@dataclass(frozen=True)
class Release:
    """One release of a dataset as its publisher serves it."""

    version: str
    url: str  # the publisher's address of the download (a zip, or the bare file)
    kept: tuple[Kept, ...]
    coverage: tuple[int, int]  # first and last year
    max_bytes: int  # a download larger than this is refused (the publisher's file is far smaller)
    sha256: str | None = None  # pinned digest of the download; None: recorded at the first download

    @property
    def download(self) -> str:
        """The file name of the download, as the publisher names it."""
        return unquote(urlsplit(self.url).path.rsplit("/", 1)[-1])

    def role(self, role: str) -> Kept | None:
        """The kept file with this role, if the release has one."""
        return next((k for k in self.kept if k.role == role), None)


@dataclass(frozen=True)
class Dataset:
    """A dataset: its releases, the default one, and what it is."""

    name: str
    title: str
    releases: dict[str, Release]
    default: str

    def release(self, version: str | None = None) -> Release:
        """The release ``version`` (default: the newest), or an error naming the known ones."""
        version = version or self.default
        if version not in self.releases:
            raise FoedusError(f"{self.name} has no release {version!r} (known: {', '.join(self.releases)})")
        return self.releases[version]

    def folder(self, version: str) -> Path:
        """Where a release's download and kept files live: ``data_dir()/<dataset>/<version>/``."""
        return data_dir() / self.name / version

    def path(self, version: str, role: str) -> Path:
        """Where the kept file with ``role`` of release ``version`` is once fetched or imported."""
        kept = self.release(version).role(role)
        if kept is None:
            raise FoedusError(f"{self.name} {version} has no {role} file")
        return self.folder(version) / kept.name


def _atop(folder: str, stem: str) -> tuple[Kept, ...]:
    return tuple(Kept(role, f"{stem}{suffix}.csv", f"{folder}/{stem}{suffix}.csv")
                 for role, suffix in (("alliance", "a"), ("member", "m"), ("ddyr", "ddyr")))


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            name="atop",
            title="Alliance Treaty Obligations and Provisions (ATOP)",
            releases={
                "5.1": Release("5.1", ATOP_UPLOADS + "atop_5.1__.csv_.zip", _atop("ATOP 5.1 (.csv)", "atop5_1"),
                               (1815, 2018), 256 << 20),
                # the zip's name and folder as public research code unpacks them (see docs/atop.md)
                "4.01": Release("4.01", ATOP_UPLOADS + "atop_v4.01_data__csv_.zip",
                                _atop("ATOP V4.01 Data (csv)", "atop4_01"), (1815, 2016), 256 << 20),
            },
            default="5.1",
        ),
        Dataset(
            name="cow-states",
            title="Correlates of War State System Membership List",
            releases={
                "2024": Release("2024", COW_UPLOADS + "States2024.zip",
                                (Kept("states", "statelist2024.csv", "States2024/statelist2024.csv"),),
                                (1816, 2024), 4 << 20),
                "2016": Release("2016", COW_UPLOADS + "states2016.csv", (Kept("states", "states2016.csv"),),
                                (1816, 2016), 1 << 20),
            },
            default="2024",
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


def source_url(release: Release, override: str | None = None) -> str:
    """Where to download ``release`` from: the publisher's address, or the download's name under
    ``override`` (else ``FOEDUS_MIRROR``) when one is given."""
    base = override or os.environ.get(MIRROR_ENV)
    if not base:
        return release.url
    return (base if base.endswith("/") else base + "/") + release.download
