"""Bounded load test of POST /api/assess on loopback: requests per second and p99 latency.

Starts `foedus serve` on a free port, sends a fixed number of North Korea scenarios from a
few client threads (httpx, keep-alive), and compares the throughput with calling
``foedus.assess`` in-process, the same work without HTTP, JSON or the server.

Run: python -m benchmarks.api_load [--requests 2000] [--threads 4]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx

from foedus import assess
from foedus.testing import start_server

SCENARIO = {"target": "North Korea", "attackers": ["South Korea"], "on": "2025-03-01"}


def _client_run(url: str, n: int) -> list[float]:
    latencies = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for _ in range(n):
            t0 = time.perf_counter()
            r = client.post("/api/assess", json=SCENARIO)
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                raise SystemExit(f"unexpected {r.status_code}: {r.text}")
    return latencies


def load(url: str, requests: int, threads: int) -> tuple[float, list[float]]:
    """Send ``requests`` scenarios from ``threads`` clients; return wall seconds and latencies."""
    per = [requests // threads + (i < requests % threads) for i in range(threads)]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda n: _client_run(url, n), per))
    return time.perf_counter() - t0, [x for r in results for x in r]


def in_process(n: int) -> float:
    """Calls per second of the library function the route wraps."""
    day = date.fromisoformat(SCENARIO["on"])
    t0 = time.perf_counter()
    for _ in range(n):
        assess(SCENARIO["target"], SCENARIO["attackers"], day).as_json()
    return n / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["FOEDUS_DATA_DIR"] = data_dir
        proc, url = start_server(Path(data_dir))
        try:
            load(url, 100, args.threads)  # warm up
            wall, lat = load(url, args.requests, args.threads)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        baseline = in_process(args.requests)
    rps = len(lat) / wall
    p50, p99 = (statistics.quantiles(lat, n=100)[i] * 1000 for i in (49, 98))
    print(f"POST /api/assess on loopback: {len(lat)} requests, {args.threads} client threads")
    print(f"  throughput  {rps:8.0f} req/s")
    print(f"  latency     p50 {p50:.2f} ms   p99 {p99:.2f} ms")
    print(f"baseline: foedus.assess in-process  {baseline:8.0f} calls/s")
    print(f"ratio: API throughput / in-process = {rps / baseline:.2f}")


if __name__ == "__main__":
    main()
