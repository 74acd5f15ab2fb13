"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SAMPLE_DATA = Path(__file__).resolve().parent / "data" / "sample"  # real rows cut down (its README.md)


def full_data_dir() -> Path | None:
    """The real datasets beside the repository, or None in a user's clone (or with FOEDUS_TEST_DATA=sample)."""
    if os.environ.get("FOEDUS_TEST_DATA") == "sample" or not SHARED_DATA.is_dir():
        return None
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Each test gets an empty user data directory, so no test sees a user's downloads."""
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path_factory.mktemp("foedus-data")))


@pytest.fixture(autouse=True)
def _no_user_corpus():
    """A test that names its own treaty files (`--corpus`) leaves none behind for the next."""
    yield
    from foedus import store

    store.use_corpus([])


@pytest.fixture(scope="session")
def full_data() -> Path:
    """The real datasets beside the repository, whole; tests that need every row skip without them."""
    found = full_data_dir()
    if found is None:
        pytest.skip(f"real datasets not found at {SHARED_DATA} (present in CI, absent in a user's clone)")
    return found


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real datasets where they are, else the sample cut from them (tests/data/sample): tests that
    hold on any subset of the real rows use this one."""
    return full_data_dir() or SAMPLE_DATA


@pytest.fixture
def cow_states(shared_data, tmp_path, monkeypatch) -> Path:
    """A user data directory holding the real COW state-system list, as `foedus data fetch cow-states` leaves it."""
    import shutil

    from foedus import states

    (tmp_path / "cow-states").mkdir()
    shutil.copy(shared_data / "states2016.csv", tmp_path / "cow-states" / "states2016.csv")
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path))
    states.system.cache_clear()
    yield tmp_path
    states.system.cache_clear()


@pytest.fixture
def publisher(tmp_path):
    """A server on 127.0.0.1 serving every release's download in the publisher's own layout
    (tests/publisher_fixture.py); the COW list in use is forgotten before and after."""
    from http_fixture import serve
    from publisher_fixture import publish

    from foedus import states

    srv = serve(publish(tmp_path / "publisher"))
    states.system.cache_clear()
    yield srv
    srv.shutdown()
    srv.server_close()
    states.system.cache_clear()
