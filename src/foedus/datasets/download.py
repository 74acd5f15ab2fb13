"""The resumable, checksummed downloader: a release's download, then the files foedus keeps from it.

The download is written to ``<file>.part`` beside its destination and renamed into place
only when its sha256 matches: the pinned one, the one given with ``--sha256``, or the one
recorded in the store at the release's first download. A first download with nothing to
match is recorded only once the files foedus keeps from it have been found in it. An
interrupted or truncated transfer leaves the ``.part`` file, and the next fetch resumes it
with an HTTP range request; a checksum mismatch deletes it, so a corrupt download is never
kept or resumed.

Bounds: a download may not exceed what the release can be (the recorded size once there is
one, else the release's cap), a fetch has an overall deadline, and a redirect to another host
is refused unless allowed.
"""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

from ..errors import DataError, FoedusError
from .registry import Dataset, Release, get, source_url

CHUNK = 1 << 16
DEADLINE = 1800.0  # seconds for a whole fetch


@dataclass(frozen=True)
class Fetched:
    """A kept file in place after a fetch."""

    dataset: str
    release: str
    file: str
    path: Path
    sha256: str  # of the download the file came from
    downloaded: bool  # False when a verified download was already there
    recorded: bool  # True when this fetch recorded the download's checksum (its first download, or --sha256)


@dataclass(frozen=True)
class Expected:
    """What a download must match: its sha256 (None: nothing to match yet), where that comes from, its size cap."""

    sha256: str | None
    origin: str  # "pinned", "given", "recorded" or "none"
    max_bytes: int


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _expected(dataset: Dataset, release: Release, given: str | None) -> Expected:
    from .. import store  # the store records first-download checksums

    if given:
        return Expected(given.lower(), "given", release.max_bytes)
    if release.sha256:
        return Expected(release.sha256, "pinned", release.max_bytes)
    recorded = store.recorded_download(dataset.name, release.version)
    if recorded is not None:
        return Expected(recorded.sha256, "recorded", recorded.bytes)
    return Expected(None, "none", release.max_bytes)


def given_checksum(release: Release, sha256: Mapping[str, str] | str | None) -> str | None:
    """The checksum given for ``release``'s download: a bare hex digest, or ``{download name: hex}``."""
    if sha256 is None or isinstance(sha256, str):
        return sha256 or None
    for name in sha256:
        if name != release.download:
            raise FoedusError(f"--sha256 names {name!r}, but this release's download is {release.download!r}")
    return sha256.get(release.download)


def fetch(
    name: str,
    release: str | None = None,
    url: str | None = None,
    sha256: Mapping[str, str] | str | None = None,
    console: Console | None = None,
    timeout: float = 60.0,
    deadline: float = DEADLINE,
    allow_redirects: bool = False,
) -> list[Fetched]:
    """Download release ``release`` (default: the newest) of dataset ``name`` and unpack the files foedus keeps.

    ``url`` overrides the base URL; ``sha256`` is a checksum accepted instead of the pinned or
    recorded one. The first download of a release with no pinned checksum records its sha256 in
    the store. A progress bar is drawn on ``console`` (stderr by default).
    """
    from .. import store

    dataset = get(name)
    rel = dataset.release(release)
    expected = _expected(dataset, rel, given_checksum(rel, sha256))
    folder = dataset.folder(rel.version)
    dest = folder / rel.download
    address = source_url(rel, url)
    downloaded = False
    if not (expected.sha256 and dest.exists() and sha256_of(dest) == expected.sha256):
        folder.mkdir(parents=True, exist_ok=True)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
            console=console or Console(stderr=True), transient=False,
        ) as progress:
            part = _download(address, dest, rel, expected, progress, timeout, time.monotonic() + deadline,
                             allow_redirects)
        _check_contents(part, rel, address)
        part.replace(dest)
        downloaded = True
    digest = expected.sha256 or sha256_of(dest)
    paths = unpack(dest, rel, folder)
    recorded = expected.origin in ("none", "given")  # the first download, or a checksum given to replace it
    if recorded:
        store.record_download(dataset.name, rel.version, rel.download, address, digest, dest.stat().st_size)
    return [Fetched(name, rel.version, k.name, p, digest, downloaded, recorded)
            for k, p in zip(rel.kept, paths, strict=True)]


class _SameHost(urllib.request.HTTPRedirectHandler):
    """Follows redirects within the requested host (``www.`` aside); another host only when allowed."""

    def __init__(self, host: str, allow: bool):
        self.host, self.allow = _bare(host), allow

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 (urllib's signature)
        target = urlsplit(newurl)
        if target.scheme not in ("http", "https"):
            raise DataError(f"{req.full_url}: redirected to {newurl}, which is not http or https; refused")
        if not self.allow and _bare(target.hostname or "") != self.host:
            raise DataError(f"{req.full_url}: redirected to another host ({target.hostname}); refused "
                            f"(pass --allow-redirects to follow it)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _bare(host: str) -> str:
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def _download(url: str, dest: Path, rel: Release, expected: Expected, progress: Progress, timeout: float,
              deadline: float, allow_redirects: bool) -> Path:
    """Fetch ``url`` into ``dest``'s ``.part`` file (resuming it) and return it, verified when there is a checksum."""
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    if have > expected.max_bytes:
        part.unlink()
        have = 0
    opener = urllib.request.build_opener(_SameHost(urlsplit(url).hostname or "", allow_redirects))
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # the partial file is already complete (or longer)
            return _verified(part, url, expected)
        raise DataError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, HTTPException) as exc:
        raise DataError(f"{url}: cannot connect ({getattr(exc, 'reason', exc)})") from None
    with response:
        resumed = have > 0 and response.status == 206
        if not resumed:
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None and length.strip().isdecimal() else None  # not "abc"
        if total is not None and total > expected.max_bytes:
            part.unlink(missing_ok=True)
            raise DataError(f"{url}: the server announces {total:,} bytes, more than this release can be "
                            f"({expected.max_bytes:,}); nothing was kept")
        task = progress.add_task(rel.download, total=total, completed=have)
        got = have
        try:
            with part.open("ab" if resumed else "wb") as out:
                while block := response.read(CHUNK):
                    got += len(block)
                    if got > expected.max_bytes:
                        raise DataError(f"{url}: the server sent more than {expected.max_bytes:,} bytes, more than "
                                        f"this release can be; nothing was kept")
                    out.write(block)
                    progress.update(task, completed=got)
                    if time.monotonic() > deadline:
                        raise DataError(f"{url}: the fetch ran past its deadline after {got:,} bytes; "
                                        f"run it again to resume")
        except DataError as exc:
            if "more than" in str(exc):
                part.unlink(missing_ok=True)
            raise
        except (HTTPException, OSError) as exc:
            raise DataError(f"{url}: download interrupted after {got} bytes ({exc.__class__.__name__}); "
                            f"run the fetch again to resume") from None
    if total is not None and got < total:
        raise DataError(f"{url}: download truncated at {got} of {total} bytes; run the fetch again to resume")
    return _verified(part, url, expected)


def _verified(part: Path, url: str, expected: Expected) -> Path:
    if expected.sha256 is None:
        return part
    actual = sha256_of(part)
    if actual != expected.sha256:
        part.unlink()
        raise DataError(f"{url}: sha256 mismatch (expected the {expected.origin} {expected.sha256}, got {actual}); "
                        f"the download was discarded")
    return part


def _check_contents(part: Path, rel: Release, url: str) -> None:
    """The download must hold every file foedus keeps from it; otherwise it is discarded."""
    if rel.kept[0].inner is None:
        return
    try:
        with zipfile.ZipFile(part) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError):
        part.unlink()
        raise DataError(f"{url}: not a zip file; the download was discarded") from None
    missing = [k.inner for k in rel.kept if k.inner not in names]
    if missing:
        part.unlink()
        raise DataError(f"{url}: the zip lacks {', '.join(map(str, missing))}; the download was discarded")


def unpack(source: Path, rel: Release, folder: Path) -> list[Path]:
    """The files ``rel`` keeps, taken from ``source`` (the zip, or the file itself) into ``folder``."""
    out = []
    for k in rel.kept:
        dest = folder / k.name
        if k.inner is None:
            if source.resolve() != dest.resolve():
                _copy(source.open("rb"), dest, rel.max_bytes, source)
        else:
            out_of = zip_member(source, k.inner, rel.max_bytes)
            _copy(out_of, dest, rel.max_bytes, source)
        out.append(dest)
    return out


def zip_member(source: Path, inner: str, limit: int):  # noqa: ANN201 (a binary file object)
    """The member ``inner`` of the zip ``source``, open for reading; an error when absent or too large."""
    try:
        z = zipfile.ZipFile(source)
        info = z.getinfo(inner)
    except (zipfile.BadZipFile, OSError):
        raise DataError(f"{source}: not a zip file") from None
    except KeyError:
        raise DataError(f"{source}: the zip lacks {inner}") from None
    if info.file_size > limit:
        raise DataError(f"{source}: {inner} unpacks to {info.file_size:,} bytes, more than {limit:,}")
    return z.open(info)


def _copy(reader, dest: Path, limit: int, source: Path) -> None:  # noqa: ANN001 (a binary file object)
    """Copy ``reader`` to ``dest`` through a ``.part`` file, at most ``limit`` bytes."""
    part = dest.with_name(dest.name + ".part")
    got = 0
    try:
        with reader, part.open("wb") as out:
            while block := reader.read(CHUNK):
                got += len(block)
                if got > limit:
                    raise DataError(f"{source}: {dest.name} is larger than {limit:,} bytes")
                out.write(block)
        part.replace(dest)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"{source}: cannot unpack {dest.name} ({exc})") from None
    finally:
        part.unlink(missing_ok=True)
