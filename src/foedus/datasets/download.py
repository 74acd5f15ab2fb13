"""The resumable, checksummed downloader.

Each file is written to ``<file>.part`` beside its destination and renamed into place
only when its sha256 matches the pin. An interrupted or truncated transfer leaves the
``.part`` file, and the next fetch resumes it with an HTTP range request; a checksum
mismatch deletes it, so a corrupt download is never kept or resumed.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

from ..errors import DataError
from .registry import DataFile, base_url, get

CHUNK = 1 << 16


@dataclass(frozen=True)
class Fetched:
    """A file in place after a fetch."""

    dataset: str
    file: str
    path: Path
    sha256: str
    downloaded: bool  # False when a verified copy was already there


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch(
    name: str,
    url: str | None = None,
    sha256: Mapping[str, str] | None = None,
    console: Console | None = None,
    timeout: float = 60.0,
) -> list[Fetched]:
    """Download every file of dataset ``name`` into the data directory and verify it.

    ``url`` overrides the base URL; ``sha256`` maps file names to checksums accepted
    instead of the pinned ones. A progress bar is drawn on ``console`` (stderr by default).
    """
    dataset = get(name)
    accepted = dict(sha256 or {})
    for fname in accepted:
        dataset.file(fname)  # unknown file names are an error
    root = base_url(dataset, url)
    out: list[Fetched] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console or Console(stderr=True),
        transient=False,
    ) as progress:
        for f in dataset.files:
            expected = accepted.get(f.name, f.sha256).lower()
            dest = dataset.path(f.name)
            if dest.exists() and sha256_of(dest) == expected:
                out.append(Fetched(name, f.name, dest, expected, downloaded=False))
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            _download(root + f.name, dest, f, expected, progress, timeout)
            out.append(Fetched(name, f.name, dest, expected, downloaded=True))
    return out


def _download(url: str, dest: Path, f: DataFile, expected: str, progress: Progress, timeout: float) -> None:
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # the partial file is already complete (or longer)
            _verify_and_place(part, dest, url, expected)
            return
        raise DataError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise DataError(f"{url}: cannot connect ({getattr(exc, 'reason', exc)})") from None
    with response:
        resumed = have > 0 and response.status == 206
        if not resumed:
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else None
        task = progress.add_task(f.name, total=total or f.size, completed=have)
        got = have
        try:
            with part.open("ab" if resumed else "wb") as out:
                while block := response.read(CHUNK):
                    out.write(block)
                    got += len(block)
                    progress.update(task, completed=got)
        except (HTTPException, OSError) as exc:
            raise DataError(
                f"{url}: download interrupted after {got} bytes ({exc.__class__.__name__}); "
                f"run the fetch again to resume"
            ) from None
    if total is not None and got < total:
        raise DataError(f"{url}: download truncated at {got} of {total} bytes; run the fetch again to resume")
    _verify_and_place(part, dest, url, expected)


def _verify_and_place(part: Path, dest: Path, url: str, expected: str) -> None:
    actual = sha256_of(part)
    if actual != expected:
        part.unlink()
        raise DataError(
            f"{url}: sha256 mismatch (expected {expected}, got {actual}); the download was discarded. "
            f"If this is a release you trust, pass --sha256 {dest.name}={actual}"
        )
    part.replace(dest)
