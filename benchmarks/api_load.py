"""Load on a real `foedus serve` over loopback: warm throughput and latency at 16 concurrent clients,
then 2,000 cold requests at 32-way concurrency on a fresh server.

Warm: POST /api/assess (North Korea scenarios) from 16 client threads with keep-alive, against
calling ``foedus.assess`` in process (the same work without HTTP, JSON or the server), measured in
the same run. Cold: a server just started, its data directory holding ATOP 4.01 where ../shared/data
has it, gets the mix of requests the page and a script send (the page and its assets, meta, the
rubric, treaty lists and treaties, states, assessments, cascades, and networks on twelve dates,
every dated route on each of the twelve), each client thread on its own keep-alive connection;
errors are non-2xx answers and timeouts. The clients are plain `http.client` connections, so that
the client threads spend little of the machine's CPU; the server's own CPU seconds per request are
read from /proc, its worker processes' included. The slowest routes of the cold phase are listed with their p99.

Run: python -m benchmarks.api_load [--requests 2000] [--concurrency 32] [--warm-concurrency 16]
     [--baseline-src DIR] [--skip-cold | --skip-warm]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchmarks._measure import SHARED_DATA
from foedus.testing import start_server

SCENARIO = {"target": "North Korea", "attackers": ["South Korea"], "on": "2025-03-01"}
DATES = [f"{y}-07-01" for y in (1914, 1939, 1950, 1962, 1970, 1980, 1985, 1990, 2000, 2010, 2020)] + ["2025-03-01"]
ROUTES = 12  # the routes of the cold mix
TARGETS = {"p99 ms": 30.0, "cold p99 ms": 1000.0, "cold errors": 0}


def mix(i: int) -> tuple[str, str, dict | None]:
    """The ``i``-th request of the cold mix: (method, path, JSON body)."""
    day = DATES[(i // ROUTES) % len(DATES)]  # each dated route meets every date in turn
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
    return options[i % ROUTES]


def _client(url: str, jobs: list[tuple[str, str, dict | None]]) -> tuple[list[float], list[str]]:
    latencies, errors = [], []
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    headers = {"Accept-Encoding": "gzip", "Content-Type": "application/json"}
    for method, path, body in jobs:
        data = None if body is None else json.dumps(body).encode()
        t0 = time.perf_counter()
        try:
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            r.read()
            if r.status >= 300:
                errors.append(f"{r.status} {method} {path}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__} {method} {path}")
            conn.close()
            conn = http.client.HTTPConnection(host, int(port), timeout=60)
        latencies.append(time.perf_counter() - t0)
    conn.close()
    return latencies, errors


@dataclass
class Run:
    """One phase against one server: wall seconds, each job's latency (in job order), the errors,
    and the server process's CPU seconds over the phase."""

    wall: float
    latencies: list[float]
    errors: list[str]
    cpu: float

    def line(self) -> str:
        p50, p99 = _percentiles(self.latencies)
        n = len(self.latencies)
        return (f"{n / self.wall:7.0f} req/s   p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   errors {len(self.errors)}   "
                f"server CPU {self.cpu * 1000 / n:.2f} ms/request")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds so far of process ``pid`` and its live children (its workers), from /proc."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended meanwhile
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def load(url: str, jobs: list[tuple[str, str, dict | None]], concurrency: int, pid: int) -> Run:
    """Send ``jobs`` from ``concurrency`` client threads to the server ``pid`` listening at ``url``."""
    shares = [jobs[i::concurrency] for i in range(concurrency)]
    cpu0, t0 = _cpu_seconds(pid), time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda share: _client(url, share), shares))
    wall, cpu = time.perf_counter() - t0, _cpu_seconds(pid) - cpu0
    latencies = [0.0] * len(jobs)
    for i, (lat, _) in enumerate(results):
        latencies[i::concurrency] = lat
    return Run(wall, latencies, [e for r in results for e in r[1]], cpu)


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


def _serving(data_dir: Path, phases: list[tuple[list, int]], src: Path | None = None) -> Run:
    """Start a server on ``data_dir`` (with the foedus of ``src`` when given), run each phase of
    (jobs, concurrency) against it in turn, and return the last phase's run."""
    env = {**os.environ, "FOEDUS_DATA_DIR": str(data_dir)}
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve())
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        proc, url = start_server(data_dir)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    try:
        for jobs, concurrency in phases:
            run = load(url, jobs, concurrency, proc.pid)
        return run
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


def _slowest(jobs: list[tuple[str, str, dict | None]], run: Run, count: int = 5) -> str:
    """The routes with the highest p99 in ``run``, each with its number of answers slower than 1 s."""
    by_route: dict[str, list[float]] = {}
    for (method, path, _), seconds in zip(jobs, run.latencies, strict=True):
        by_route.setdefault(f"{method} {path.split('?')[0]}", []).append(seconds)
    worst = sorted(((_percentiles(v)[1], k) for k, v in by_route.items() if len(v) > 1), reverse=True)[:count]
    return ", ".join(f"{k} {p99:.0f} ms ({sum(x > 1 for x in by_route[k])} over 1 s)" for p99, k in worst)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warm-concurrency", type=int, default=16)
    parser.add_argument("--baseline-src", type=Path, help="Another foedus source tree (e.g. `git archive main src`): "
                        "its server gets the same loads in this run, for the ratios.")
    skip = parser.add_mutually_exclusive_group()
    skip.add_argument("--skip-cold", action="store_true", help="Only the warm phase.")
    skip.add_argument("--skip-warm", action="store_true", help="Only the cold phase.")
    args = parser.parse_args()
    trees = [("this tree", None)] + ([(str(args.baseline_src), args.baseline_src)] if args.baseline_src else [])
    assess_jobs = [("POST", "/api/assess", SCENARIO)] * args.requests
    cold_jobs = [mix(i) for i in range(args.requests)]
    warm: dict[str, Run] = {}
    cold: dict[str, Run] = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = "bundled corpus"
        for n, (name, src) in enumerate(trees):
            if not args.skip_warm:  # a warm-up of 200 requests, then the measured ones
                warm[name] = _serving(Path(tmp) / f"warm{n}", [(assess_jobs[:200], args.warm_concurrency),
                                                               (assess_jobs, args.warm_concurrency)], src)
            if not args.skip_cold:
                cold_dir = Path(tmp) / f"cold{n}"
                corpus = _with_atop(cold_dir)
                cold[name] = _serving(cold_dir, [(cold_jobs, args.concurrency)], src)
        os.environ["FOEDUS_DATA_DIR"] = str(Path(tmp) / "warm0")  # the bundled corpus, as the warm servers
        baseline = None if args.skip_warm else in_process(args.requests)
    if warm:
        print(f"warm: POST /api/assess, {args.requests} requests from {args.warm_concurrency} clients (bundled corpus)")
        for name, run in warm.items():
            print(f"  {name}: {run.line()}")
        run = warm["this tree"]
        p99 = _percentiles(run.latencies)[1]
        rps = len(run.latencies) / run.wall
        print(f"  target p99 <= {TARGETS['p99 ms']:.0f} ms: {'met' if p99 <= TARGETS['p99 ms'] else 'MISSED'}; "
              f"foedus.assess in process {baseline:.0f} calls/s, API / in-process = {rps / baseline:.2f}")
        if len(warm) > 1:
            old = warm[str(args.baseline_src)]
            print(f"  throughput ratio {rps / (len(old.latencies) / old.wall):.2f}x (target >= 2x), server CPU per "
                  f"request ratio {old.cpu / run.cpu:.2f}x")
    if cold:
        print(f"cold: {args.requests} mixed requests at {args.concurrency}-way concurrency on a fresh server "
              f"({corpus})")
        for name, run in cold.items():
            print(f"  {name}: wall {run.wall:6.2f} s {run.line()}")
            print(f"    answers over 1 s: {sum(x > 1 for x in run.latencies)}; slowest routes by p99: "
                  f"{_slowest(cold_jobs, run)}")
            for e in sorted(set(run.errors))[:10]:
                print(f"    error: {e} (x{run.errors.count(e)})")
        run = cold["this tree"]
        p99 = _percentiles(run.latencies)[1]
        print(f"  target 0 errors, p99 < {TARGETS['cold p99 ms']:.0f} ms: "
              f"{'met' if not run.errors and p99 < TARGETS['cold p99 ms'] else 'MISSED'}")
        if len(cold) > 1:
            old = cold[str(args.baseline_src)]
            print(f"  p99 ratio {_percentiles(old.latencies)[1] / p99:.2f}x, wall ratio {old.wall / run.wall:.2f}x")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
