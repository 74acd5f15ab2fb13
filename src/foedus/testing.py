"""Helpers for driving a real `foedus serve` process (the API tests and the load benchmark use them)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """Start `foedus serve` on a free loopback port with ``data_dir`` as its data directory.

    Returns the process and its base URL once ``/api/meta`` answers; raises if it exits or stays silent.
    """
    port = free_port()
    foedus = Path(sys.executable).with_name("foedus")
    env = {**os.environ, "FOEDUS_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen(
        [str(foedus), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"foedus serve exited with {proc.returncode}: {proc.stderr.read()}")
        try:
            with urllib.request.urlopen(f"{url}/api/meta", timeout=1):
                return proc, url
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"foedus serve did not answer within {timeout:.0f} s")
