"""A real `foedus serve` under load and misuse: headers, Host checks, 405s, a locked store, idle
connections and keep-alive (each against the process, over TCP)."""

from __future__ import annotations

import json
import socket
import time
import urllib.parse
from collections.abc import Iterator

import duckdb
import httpx
import pytest

from foedus.api import Bounded
from foedus.cli import cli_web  # (cli_web is imported by the command line, which it extends)
from foedus.store import _IMPORTS_DDL, STORE_FILE
from foedus.testing import start_server

KEEP_ALIVE_SECONDS, MAX_CONNECTIONS = cli_web.KEEP_ALIVE_SECONDS, cli_web.MAX_CONNECTIONS


@pytest.fixture
def own_server(tmp_path) -> Iterator[tuple[str, object]]:
    """A server of this test's own, with its data directory (the test may lock its store)."""
    proc, url = start_server(tmp_path)
    yield url, tmp_path
    proc.terminate()
    proc.wait(timeout=10)


def _raw(url: str, request: bytes, timeout: float = 10) -> bytes:
    """Send ``request`` as is and read the answer until the server closes or stops sending."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as s:
        s.sendall(request)
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
    return b"".join(chunks)


@pytest.mark.parametrize("path", ["/", "/api/meta", "/api/treaties/no-such-treaty", "/static/app.js"])
def test_every_answer_carries_the_security_headers(server, path):
    r = httpx.get(server + path)
    assert r.headers["x-content-type-options"] == "nosniff"
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "*" not in csp


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.2", "localhost.evil.example"])
def test_a_foreign_host_header_is_refused(server, host):
    r = httpx.get(server + "/api/meta", headers={"Host": host})
    assert r.status_code == 400
    assert "Host" in r.json()["error"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST:{port}", "127.0.0.1:{port}", "[::1]:{port}"])
def test_the_loopback_names_are_accepted(server, host):
    port = urllib.parse.urlsplit(server).port
    r = httpx.get(server + "/api/meta", headers={"Host": host.format(port=port)})
    assert r.status_code == 200


@pytest.mark.parametrize(("method", "path", "allow"), [("POST", "/api/meta", "GET"), ("GET", "/api/assess", "POST"),
                                                       ("DELETE", "/api/network", "GET")])
def test_a_wrong_method_gets_405_with_allow(server, method, path, allow):
    r = httpx.request(method, server + path)
    assert r.status_code == 405
    assert allow in r.headers["allow"].replace(" ", "").split(",")
    assert r.json()["error"]


def test_a_locked_store_answers_503_with_retry_after_and_no_paths(own_server):
    url, data_dir = own_server
    assert httpx.get(url + "/api/treaties", timeout=60).status_code == 200
    con = duckdb.connect(str(data_dir / STORE_FILE))  # a writer holding the lock, as an import does
    try:
        con.execute(_IMPORTS_DDL)  # an empty store: nothing imported yet
        r = httpx.get(url + "/api/treaties", timeout=60)
    finally:
        con.close()
    assert r.status_code == 503
    assert int(r.headers["retry-after"]) > 0
    message = r.json()["error"]
    assert "lock" in message
    assert str(data_dir) not in r.text and "PID" not in r.text and STORE_FILE not in r.text
    assert httpx.get(url + "/api/treaties", timeout=60).status_code == 200  # the lock gone, it answers again


def test_an_idle_keep_alive_connection_is_closed(server):
    parts = urllib.parse.urlsplit(server)
    with socket.create_connection((parts.hostname, parts.port), timeout=KEEP_ALIVE_SECONDS + 10) as s:
        s.sendall(b"GET /api/strength HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        head = s.recv(65536)
        assert head.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        while s.recv(65536):  # the rest of the body, then the close
            pass
        assert time.monotonic() - started < KEEP_ALIVE_SECONDS + 5


def test_many_idle_connections_do_not_stall_the_server(own_server):
    url, _ = own_server
    parts = urllib.parse.urlsplit(url)
    idle = [socket.create_connection((parts.hostname, parts.port), timeout=5) for _ in range(MAX_CONNECTIONS + 50)]
    try:
        r = httpx.get(url + "/api/strength", timeout=10)  # answered at once: 200, or 503 past the limit
        assert r.status_code in (200, 503)
    finally:
        for s in idle:
            s.close()
    deadline = time.monotonic() + 10
    while (r := httpx.get(url + "/api/strength", timeout=10)).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert r.status_code == 200


def test_network_answers_are_kept_and_repeat_byte_for_byte(server):
    first = httpx.get(server + "/api/network", params={"on": "1962-10-01"})
    again = httpx.get(server + "/api/network", params={"on": "1962-10-01"})
    assert first.status_code == 200 and first.content == again.content
    doc = json.loads(first.content)
    pair = next(e for e in doc["edges"] if {e["source"], e["target"]} == {"CUB", "RUS"} or e["treaties"])
    owes = httpx.get(f"{server}/api/network/{pair['source']}", params={"on": "1962-10-01"}).json()["owes"]
    assert {o["treaty"] for o in owes} & set(pair["treaties"]) or pair["target"] < pair["source"]


def test_the_kept_answers_are_bounded():
    kept = Bounded(3)
    made = []
    for key in [1, 2, 3, 1, 4, 5, 1]:
        if kept.find(key) is None:
            made.append(key)
            kept.put(key, str(key).encode())
    assert made == [1, 2, 3, 4, 5]  # 1 stayed, being used; 2 and 3 were evicted, not 1
    assert len(kept._items) == 3 and kept.find(1) == b"1" and kept.find(2) is None
