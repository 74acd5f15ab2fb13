"""Load on a real `foedus serve` over loopback: warm throughput and latency at 16 concurrent clients,
then 2,000 cold requests at 32-way concurrency on a fresh server.

Warm: POST /api/assess (North Korea scenarios) from 16 client threads with keep-alive, against
calling ``foedus.assess`` in process (the same work without HTTP, JSON or the server), measured in
the same run. Cold: a server just started, its data directory holding ATOP 4.01 where ../shared/data
has it, gets the mix of requests the page and a script send (the page and its assets, meta, the
rubric, treaty lists and treaties, states, assessments, cascades, and networks on twelve dates),
each client thread on its own keep-alive connection; errors are non-2xx answers and timeouts.

Run: python -m benchmarks.api_load [--requests 2000] [--concurrency 32] [--warm-concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx

from benchmarks._measure import SHARED_DATA
from foedus.testing import start_server

SCENARIO = {"target": "North Korea", "attackers": ["South Korea"], "on": "2025-03-01"}
DATES = [f"{y}-07-01" for y in (1914, 1939, 1950, 1962, 1970, 1980, 1985, 1990, 2000, 2010, 2020)] + ["2025-03-01"]
TARGETS = {"p99 ms": 30.0, "cold p99 ms": 1000.0, "cold errors": 0}


def mix(i: int) -> tuple[str, str, dict | None]:
    """The ``i``-th request of the cold mix: (method, path, JSON body)."""
    day = DATES[i % len(DATES)]
    options = [
        ("GET", "/", None),
        ("GET", "/static/app.js", None),
        ("GET", "/api/meta", None),
        ("GET", "/api/strength", None),
        ("GET", f"/api/network?on={day}", None),
        ("GET", "/api/treaties?source=curated", None),
        ("GET", "/api/treaties/nato-1949", None),
        ("GET", "/api/states/DPRK", None),
        ("POST", "/api/assess", {**SCENARIO, "on": day if day >= "1950" else "2025-03-01"}),
        ("GET", f"/api/network/USA?on={day}", None),
        ("POST", "/api/cascade", SCENARIO),
        ("GET", "/api/compare?a=rus-prk-2024&b=sun-prk-1961", None),
    ]
    return options[i % len(options)]


def _client(url: str, jobs: list[tuple[str, str, dict | None]]) -> tuple[list[float], list[str]]:
    latencies, errors = [], []
    with httpx.Client(base_url=url, timeout=60) as client:
        for method, path, body in jobs:
            t0 = time.perf_counter()
            try:
                r = client.request(method, path, json=body)
                if r.status_code >= 300:
                    errors.append(f"{r.status_code} {method} {path}")
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__} {method} {path}")
            latencies.append(time.perf_counter() - t0)
    return latencies, errors


def load(url: str, jobs: list[tuple[str, str, dict | None]], concurrency: int) -> tuple[float, list[float], list[str]]:
    """Send ``jobs`` from ``concurrency`` client threads; wall seconds, latencies and errors."""
    shares = [jobs[i::concurrency] for i in range(concurrency)]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda share: _client(url, share), shares))
    return time.perf_counter() - t0, [x for r in results for x in r[0]], [e for r in results for e in r[1]]


def in_process(n: int) -> float:
    """Calls per second of the library function the assess route wraps."""
    from foedus import assess

    day = date.fromisoformat(SCENARIO["on"])
    assess(SCENARIO["target"], SCENARIO["attackers"], day)
    t0 = time.perf_counter()
    for _ in range(n):
        assess(SCENARIO["target"], SCENARIO["attackers"], day).as_json()
    return n / (time.perf_counter() - t0)


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(latencies, n=100)
    return q[49] * 1000, q[98] * 1000


def _warm(data_dir: Path, jobs: list, concurrency: int) -> tuple[float, list[float], list[str]]:
    """The warm phase on a server of its own: a warm-up, then ``jobs``."""
    proc, url = start_server(data_dir)
    try:
        load(url, jobs[:200], concurrency)
        return load(url, jobs, concurrency)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _with_atop(data_dir: Path) -> str:
    files = [SHARED_DATA / f for f in ("atop4_01_alliance_level.csv", "atop4_01_member_level.csv")]
    if not all(f.is_file() for f in files):
        return "bundled corpus (ATOP files absent)"
    subprocess.run([sys.executable, "-c", "from foedus.cli import main; main()", "data", "import", "atop",
                    *map(str, files)], env={**os.environ, "FOEDUS_DATA_DIR": str(data_dir)}, check=True,
                   stdout=subprocess.DEVNULL)
    return "bundled corpus + ATOP 4.01"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warm-concurrency", type=int, default=16)
    parser.add_argument("--baseline-src", type=Path, help="Another foedus source tree (e.g. `git archive main src`): "
                        "its server gets the same warm load in this run, for the throughput ratio.")
    parser.add_argument("--skip-cold", action="store_true", help="Only the warm phase.")
    args = parser.parse_args()
    assess_jobs = [("POST", "/api/assess", SCENARIO)] * args.requests
    with tempfile.TemporaryDirectory() as tmp:
        cold_dir, warm_dir = Path(tmp) / "cold", Path(tmp) / "warm"
        if not args.skip_cold:
            corpus = _with_atop(cold_dir)
            proc, url = start_server(cold_dir)
            try:
                cold_wall, cold_lat, cold_errors = load(url, [mix(i) for i in range(args.requests)], args.concurrency)
            finally:
                proc.terminate()
                proc.wait(timeout=10)
        os.environ["FOEDUS_DATA_DIR"] = str(warm_dir)
        wall, lat, errors = _warm(warm_dir, assess_jobs, args.warm_concurrency)
        if args.baseline_src:
            old = os.environ.get("PYTHONPATH")
            os.environ["PYTHONPATH"] = str(args.baseline_src.resolve())
            try:
                old_wall, old_lat, _ = _warm(Path(tmp) / "old", assess_jobs, args.warm_concurrency)
            finally:
                os.environ.pop("PYTHONPATH") if old is None else os.environ.update(PYTHONPATH=old)
        baseline = in_process(args.requests)
    rps = len(lat) / wall
    p50, p99 = _percentiles(lat)
    print(f"warm: POST /api/assess, {len(lat)} requests from {args.warm_concurrency} clients (bundled corpus)")
    print(f"  throughput {rps:8.0f} req/s   p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   errors {len(errors)}"
          f"   (target p99 <= {TARGETS['p99 ms']:.0f} ms: {'met' if p99 <= TARGETS['p99 ms'] else 'MISSED'})")
    print(f"  baseline: foedus.assess in process {baseline:8.0f} calls/s; API / in-process = {rps / baseline:.2f}")
    if args.baseline_src:
        old_p50, old_p99 = _percentiles(old_lat)
        old_rps = len(old_lat) / old_wall
        print(f"  {args.baseline_src}: {old_rps:8.0f} req/s   p50 {old_p50:7.2f} ms   p99 {old_p99:7.2f} ms; "
              f"throughput ratio {rps / old_rps:.2f}x (target >= 2x)")
    if args.skip_cold:
        return
    cold_p50, cold_p99 = _percentiles(cold_lat)
    print(f"cold: {len(cold_lat)} mixed requests at {args.concurrency}-way concurrency on a fresh server ({corpus})")
    print(f"  wall {cold_wall:6.2f} s   p50 {cold_p50:7.2f} ms   p99 {cold_p99:7.2f} ms   errors {len(cold_errors)}"
          f"   (target 0 errors, p99 < {TARGETS['cold p99 ms']:.0f} ms: "
          f"{'met' if not cold_errors and cold_p99 < TARGETS['cold p99 ms'] else 'MISSED'})")
    for e in sorted(set(cold_errors))[:10]:
        print(f"  error: {e} (x{cold_errors.count(e)})")


if __name__ == "__main__":
    main()
