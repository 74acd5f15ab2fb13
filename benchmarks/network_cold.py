"""`/api/network` cold, with ATOP imported: latency and payload per date against the layout and
document it replaced, and the page's first paint with the network.

Each date is asked once of a server just started (nothing kept yet for it); sizes are the JSON
document and what crossed the wire (gzip, as browsers ask for it). The baseline, measured
in the same run and in process on the same corpus, is what the route did before: networkx's
Kamada-Kawai layout (scipy's optimiser) per component, and every obligation listed on its edge in
the document. The issue's figures for that were 3.7-6.8 s and 1-3.7 MB per date. The first paint is
the page's `network-painted` mark in headless chromium, when /usr/bin/chromium is installed.

Run: python -m benchmarks.network_cold
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

from benchmarks._measure import data_file
from foedus.testing import start_server

DATES = ["1914-07-01", "1962-10-01", "1985-07-01", "2025-03-01"]
TARGET_MS, TARGET_KB, TARGET_PAINT_MS = 300, 500, 1500
CHROMIUM = Path("/usr/bin/chromium")
PAINTED = "() => performance.getEntriesByName('network-painted')[0]?.startTime ?? null"


def _before(day: date) -> tuple[float, int]:
    """Seconds and bytes of the replaced route: Kamada-Kawai per component, obligations on every edge."""
    import networkx as nx

    from foedus import network as net
    from foedus.model import Strength

    t0 = time.perf_counter()
    g = net.alliance_graph(day)
    for comp in nx.connected_components(g):
        sub = g.subgraph(comp)
        if len(comp) > 1:
            weighted = nx.Graph()
            weighted.add_weighted_edges_from(
                ((a, b, 1.0 + 0.25 * (int(Strength.AUTO) - int(d["strength"]))) for a, b, d in sub.edges(data=True)),
                weight="length")
            nx.kamada_kawai_layout(weighted, pos={n: net._seed_position(n) for n in sorted(weighted)},
                                   weight="length")
    doc = net.Network(day, g, net.layout(g), net.year_range(net.store.active_corpus())).as_json()
    by_pair = {(min(a, b), max(a, b)): d["obligations"] for a, b, d in g.edges(data=True)}
    for e in doc["edges"]:
        e["obligations"] = by_pair[e["source"], e["target"]]
    body = json.dumps(doc)
    return time.perf_counter() - t0, len(body.encode())


def _first_paint(url: str) -> float | None:
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(url)
        painted = None
        deadline = time.monotonic() + 60
        while painted is None and time.monotonic() < deadline:  # polled: the page's CSP forbids eval
            painted = page.evaluate(PAINTED)
            page.wait_for_timeout(20)
        browser.close()
    return painted


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="foedus-bench-") as tmp:
        data = Path(tmp)
        os.environ["FOEDUS_DATA_DIR"] = str(data)
        files = [data_file("atop4_01_alliance_level.csv"), data_file("atop4_01_member_level.csv")]
        subprocess.run([sys.executable, "-c", "from foedus.cli import main; main()", "data", "import", "atop",
                        *map(str, files)], check=True, stdout=subprocess.DEVNULL)
        proc, url = start_server(data)
        try:
            httpx.get(f"{url}/api/treaties", timeout=120)  # the corpus loaded: what is left is the network
            rows = []
            for day in DATES:
                t0 = time.perf_counter()
                r = httpx.get(f"{url}/api/network", params={"on": day}, timeout=120)
                rows.append((day, time.perf_counter() - t0, len(r.content), r.num_bytes_downloaded))
            meta = len(httpx.get(f"{url}/api/meta").content)
            painted = _first_paint(url)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        before = {day: _before(date.fromisoformat(day)) for day in DATES}
    print(f"{'date':<11} {'cold ms':>8} {'KB':>6} {'wire KB':>8}   {'before ms':>9} {'KB':>6}   {'faster':>6} {'smaller':>7}")
    for day, seconds, size, wire in rows:
        b_s, b_size = before[day]
        print(f"{day:<11} {seconds * 1000:8.0f} {size / 1000:6.0f} {wire / 1000:8.0f}   {b_s * 1000:9.0f} "
              f"{b_size / 1000:6.0f}   {b_s / seconds:6.1f}x {b_size / size:6.1f}x")
    worst_ms, worst_kb = max(r[1] for r in rows) * 1000, max(r[3] for r in rows) / 1000
    print(f"worst: {worst_ms:.0f} ms, {worst_kb:.0f} KB on the wire (target < {TARGET_MS} ms and < {TARGET_KB} KB: "
          f"{'met' if worst_ms < TARGET_MS and worst_kb < TARGET_KB else 'MISSED'}); /api/meta {meta / 1000:.1f} KB")
    if painted is None:
        print(f"first paint: skipped, {CHROMIUM} not installed")
    else:
        print(f"first paint with the network: {painted:.0f} ms "
              f"(target < {TARGET_PAINT_MS} ms: {'met' if painted < TARGET_PAINT_MS else 'MISSED'})")


if __name__ == "__main__":
    main()
