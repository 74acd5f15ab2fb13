"""How the server keeps and shares its answers: one computation however many ask at once, errors
not kept, large answers gzipped only for clients that accept it, network answers kept on disk."""

from __future__ import annotations

import asyncio
import gzip
import json
import signal
import threading
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foedus import disk_cache
from foedus.api import GZIP_FROM, Body, Flights, _on_disk


def test_concurrent_requests_for_one_answer_make_it_once():
    flights, calls = Flights(4), []

    async def make() -> bytes:
        calls.append(1)
        await asyncio.sleep(0.05)  # still being made while the others ask
        return b"answer"

    async def main() -> list[bytes]:
        return await asyncio.gather(*(flights.get("key", make) for _ in range(32)))

    assert asyncio.run(main()) == [b"answer"] * 32
    assert len(calls) == 1
    assert asyncio.run(main()) == [b"answer"] * 32 and len(calls) == 1  # kept: not made again


def test_a_failed_answer_reaches_every_waiter_and_is_not_kept():
    flights, calls = Flights(4), []

    async def make() -> bytes:
        calls.append(1)
        await asyncio.sleep(0.02)
        if len(calls) == 1:
            raise LookupError("the store is being imported")
        return b"answer"

    async def main() -> list[object]:
        return await asyncio.gather(*(flights.get("key", make) for _ in range(8)), return_exceptions=True)

    first = asyncio.run(main())
    assert all(isinstance(x, LookupError) for x in first) and len(calls) == 1
    assert asyncio.run(main()) == [b"answer"] * 8 and len(calls) == 2


def test_a_client_that_goes_away_does_not_cancel_the_answer_for_the_others():
    flights = Flights(4)

    async def make() -> bytes:
        await asyncio.sleep(0.05)
        return b"answer"

    async def main() -> bytes:
        leaving = asyncio.ensure_future(flights.get("key", make))
        staying = asyncio.ensure_future(flights.get("key", make))
        await asyncio.sleep(0.01)
        leaving.cancel()
        return await staying

    assert asyncio.run(main()) == b"answer"


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=3 * GZIP_FROM))
def test_a_body_is_gzipped_exactly_when_large_and_unpacks_to_itself(plain):
    body = Body(plain)
    assert (body.packed is not None) == (len(plain) >= GZIP_FROM)
    if body.packed is not None:
        assert gzip.decompress(body.packed) == plain


def test_a_large_answer_is_gzipped_only_for_clients_that_accept_it(atop_server):
    url, params = f"{atop_server}/api/network", {"on": "1990-07-01"}
    packed = httpx.get(url, params=params, headers={"Accept-Encoding": "gzip"}, timeout=120)
    plain = httpx.get(url, params=params, headers={"Accept-Encoding": "identity"}, timeout=120)
    assert packed.status_code == plain.status_code == 200
    assert packed.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert packed.num_bytes_downloaded < len(plain.content) / 4
    assert packed.json() == plain.json() and plain.json()["nodes"]
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert packed.headers["x-content-type-options"] == "nosniff"  # the security headers on these too


def test_a_network_answer_is_kept_on_disk_and_a_damaged_copy_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path))
    made = []

    def make() -> bytes:
        made.append(1)
        return json.dumps({"made": len(made)}).encode()

    day = date(1962, 10, 1)
    first = _on_disk("network", "digest-a", day, make)
    assert _on_disk("network", "digest-a", day, make) == first and len(made) == 1  # read back, as after a restart
    assert _on_disk("network", "digest-b", day, make) != first  # another corpus: another answer
    assert _on_disk("network", "digest-a", date(1962, 10, 2), make) != first  # another day too
    kept = sorted(disk_cache.cache_dir().glob("network-*.json"))
    assert len(kept) == 3
    for path in kept:
        blob = bytearray(path.read_bytes())
        blob[-2] ^= 0xFF
        path.write_bytes(bytes(blob))
    assert _on_disk("network", "digest-a", day, make) == json.dumps({"made": 4}).encode()  # damaged: made again
    assert _on_disk("network", None, day, make) == json.dumps({"made": 5}).encode()  # no digest: never kept


def test_thirty_two_clients_asking_one_new_date_all_get_the_same_answer(atop_server):
    results, url = [], f"{atop_server}/api/network"

    def ask() -> None:
        results.append(httpx.get(url, params={"on": "1871-01-18"}, timeout=120))

    threads = [threading.Thread(target=ask) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {r.status_code for r in results} == {200}
    assert len({r.content for r in results}) == 1 and results[0].json()["on"] == "1871-01-18"


@pytest.mark.parametrize("path", ["/api/network?on=1999-01-01", "/api/network/USA?on=1999-01-01"])
def test_a_locked_store_answers_the_network_routes_with_503(own_server, path):
    import duckdb

    from foedus.store import _IMPORTS_DDL, STORE_FILE

    url, data_dir = own_server
    assert httpx.get(url + "/api/network", params={"on": "1998-01-01"}, timeout=60).status_code == 200
    con = duckdb.connect(str(data_dir / STORE_FILE))  # a writer holding the lock, as an import does
    try:
        con.execute(_IMPORTS_DDL)
        r = httpx.get(url + path, timeout=60)
    finally:
        con.close()
    assert r.status_code == 503 and int(r.headers["retry-after"]) > 0
    assert str(data_dir) not in r.text and "PID" not in r.text
    assert httpx.get(url + path, timeout=60).status_code == 200


@pytest.fixture
def own_server(tmp_path):
    from foedus.testing import start_server

    proc, url = start_server(tmp_path)
    yield url, tmp_path
    proc.terminate()
    proc.wait(timeout=10)


def _state(proc_dir: Path) -> str | None:
    """The state letter of a process (``Z``: ended, not yet reaped), or None when it is gone."""
    try:
        return (proc_dir / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def _children(pid: int) -> list[Path]:
    """The /proc entries of the running processes whose parent is ``pid``."""
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            kids.append(stat.parent)
    return kids


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGKILL"])
def test_the_worker_processes_end_with_the_server(tmp_path, signal_name):
    from foedus.testing import start_server

    proc, _ = start_server(tmp_path)
    workers = _children(proc.pid)
    assert workers  # the server has started its workers before answering
    proc.send_signal(getattr(signal, signal_name))
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while (left := [w for w in workers if _state(w) not in (None, "Z")]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left
