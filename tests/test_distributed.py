"""The dask.distributed path gives the same answers as the in-process run (LocalCluster on 127.0.0.1)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from distributed import Client, LocalCluster
from test_sweep import ALLIANCES, DAY

from foedus.cascade import prepare
from foedus.engine import make_event
from foedus.reliability import CHUNK, simulate
from foedus.sweep import sweep_date, sweep_years


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def test_simulation_on_the_cluster_equals_the_in_process_run(client):
    sc = prepare(make_event("JPN", ["CHN"], DAY), ALLIANCES, conditional=True)
    draws = 2 * CHUNK + 7  # three chunks, finishing in any order
    seen = []
    local = simulate(sc, draws, seed=11)
    remote = simulate(sc, draws, seed=11, client=client, progress=seen.append)
    assert remote.as_json() == local.as_json()
    assert sum(seen) == draws
    assert 0 < next(r for r in local.probabilities() if r["state"] == "USA")["defender"] < 1


def test_sweeps_on_the_cluster_equal_the_in_process_run(client, cow_states, tmp_path):
    assert sweep_date(DAY, ALLIANCES, client=client).equals(sweep_date(DAY, ALLIANCES))
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    sweep_years([1950, 1951], a, ALLIANCES, client=client)
    sweep_years([1950, 1951], b, ALLIANCES)
    assert pl.read_parquet(a).equals(pl.read_parquet(b))
    assert pl.read_parquet(a)["on"].unique().sort().to_list() == [date(1950, 7, 1), date(1951, 7, 1)]


def test_repeated_sweeps_on_one_client_all_finish_and_agree(client, cow_states, tmp_path):
    expected = sweep_date(DAY, ALLIANCES)
    for _ in range(5):  # the same kernels shipped again while the last sweep's copies are released
        assert sweep_date(DAY, ALLIANCES, client=client).equals(expected)
    for i in range(3):
        sweep_years([1950, 1951], tmp_path / f"{i}.parquet", ALLIANCES, client=client)
    frames = [pl.read_parquet(tmp_path / f"{i}.parquet") for i in range(3)]
    assert all(f.equals(frames[0]) for f in frames)
