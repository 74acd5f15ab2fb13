"""A local HTTP file server for downloader tests: serves a folder on 127.0.0.1, with ranges.

``server.corrupt`` names files served with one byte changed; ``server.truncate`` names files
whose first transfer stops halfway (after announcing the full length); ``server.ranges = False``
makes it ignore range requests. ``server.redirect`` maps a name to a URL it answers with a 302;
``server.length`` maps a name to the Content-Length header sent instead of the true one (None: no
header, the body ending when the connection closes).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class FileServer(ThreadingHTTPServer):
    """Serves ``root``; records each request's path and Range header."""

    def __init__(self, root: Path):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.corrupt: set[str] = set()
        self.truncate: set[str] = set()
        self.ranges = True  # False: ignore Range headers, as some servers do
        self.redirect: dict[str, str] = {}
        self.length: dict[str, str | None] = {}
        self.requests: list[tuple[str, str | None]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    server: FileServer

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        name = self.path.lstrip("/")
        rng = self.headers.get("Range")
        self.server.requests.append((name, rng))
        if not self.server.ranges:
            rng = None
        if name in self.server.redirect:
            self.send_response(302)
            self.send_header("Location", self.server.redirect[name])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path = self.server.root / name
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        if name in self.server.corrupt:
            body = body[:100] + bytes([body[100] ^ 1]) + body[101:]
        start = int(rng.removeprefix("bytes=").split("-")[0]) if rng else 0
        if start >= len(body):
            self.send_error(416)
            return
        self.send_response(206 if rng else 200)
        length = self.server.length.get(name, str(len(body) - start))
        if length is not None:
            self.send_header("Content-Length", length)
        else:
            self.close_connection = True
        self.end_headers()
        payload = body[start:]
        if name in self.server.truncate:
            self.server.truncate.discard(name)
            payload = payload[: len(payload) // 2]
        self.wfile.write(payload)
        self.wfile.flush()
        if len(payload) < len(body) - start:
            self.close_connection = True


def serve(root: Path) -> FileServer:
    """Start a server for ``root`` in a daemon thread."""
    server = FileServer(root)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
