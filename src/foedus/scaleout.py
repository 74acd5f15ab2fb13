"""Scale-out: a dask.distributed client for a scheduler address, or a cluster on this machine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .errors import FoedusError


@contextmanager
def client(scheduler: str | None = None, local: bool = False, workers: int = 2) -> Iterator[object | None]:
    """Yield a ``distributed.Client`` (``scheduler`` address or a local cluster), or None to run in process."""
    if scheduler and local:
        raise FoedusError("give either --scheduler or --dask local, not both")
    if not scheduler and not local:
        yield None
        return
    from distributed import Client, LocalCluster

    if local:
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
            ) as cluster,
            Client(cluster) as c,
        ):
            yield c
        return
    try:
        c = Client(scheduler, timeout="5s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise FoedusError(f"cannot reach the dask scheduler at {scheduler} ({exc})") from None
    with c:
        yield c
