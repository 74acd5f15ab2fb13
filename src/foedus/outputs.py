"""Writing output files safely: whole or not at all, never over a special file, with the user's umask.

Every command that writes a file (``panel``, ``sweep``) goes through :func:`atomic_output`: the
target is checked first (a folder that exists and is writable; no existing directory, FIFO, device
or socket under that name, which ``os.replace`` would otherwise swap for a regular file), the data
go to a temporary file beside it, and that file is renamed over the target only when complete. The
temporary file is removed on any error and on SIGINT or SIGTERM.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import FoedusError


def check_target(path: Path, formats: tuple[str, ...] = ()) -> Path:
    """``path`` if a file may be written there (with one of the suffixes ``formats``, if given);
    else a one-line error saying why not."""
    path = Path(path)
    try:
        st = path.lstat() if path.is_symlink() and not path.exists() else path.stat()
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise FoedusError(f"{path}: {path.parent} is not a folder") from None
    except OSError as exc:
        raise FoedusError(f"{path}: cannot write here ({exc.strerror})") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise FoedusError(f"{path}: is a directory; give a file name")
        if not stat.S_ISREG(st.st_mode):
            raise FoedusError(f"{path}: exists and is not a regular file (a device, FIFO, socket or dangling link);"
                              " refusing to replace it")
    if formats and path.suffix.lower() not in formats:
        raise FoedusError(f"{path}: unknown output format {path.suffix or '(none)'!r} (use {' or '.join(formats)})")
    parent = path.parent
    if not parent.is_dir():
        raise FoedusError(f"{path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise FoedusError(f"{path}: the folder {parent} is not writable")
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _removed_on_signal(tmp: str) -> Iterator[None]:
    """Remove ``tmp`` if SIGINT or SIGTERM arrives, then let the signal do what it did before."""
    previous: dict[int, object] = {}

    def handler(signum: int, frame: object) -> None:
        Path(tmp).unlink(missing_ok=True)
        old = previous[signum]
        if callable(old):
            old(signum, frame)
        elif signum == signal.SIGINT and old == signal.default_int_handler:
            raise KeyboardInterrupt
        else:  # SIG_DFL: die of the signal, as the user asked
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, handler)
    except ValueError:  # not the main thread: signals cannot be caught here; the finally clause still cleans up
        previous.clear()
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[str]:
    """Yield a temporary file name beside ``path``; rename it over ``path`` when the block completes.

    The file gets the permissions a newly created file would (0666 less the umask), not
    ``mkstemp``'s 0600.
    """
    path = check_target(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part" + path.suffix)
    os.close(fd)
    try:
        with _removed_on_signal(tmp):
            yield tmp
            os.chmod(tmp, 0o666 & ~_umask())
            check_target(path)  # it may have become a FIFO or a folder while we wrote
            os.replace(tmp, path)
    except OSError as exc:
        raise FoedusError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
