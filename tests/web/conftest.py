"""Fixtures for the API and page tests: a real `foedus serve` process and a headless chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from foedus.testing import start_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[str]:
    """The base URL of a `foedus serve` process started for this test session."""
    proc, url = start_server(tmp_path_factory.mktemp("serve-data"))
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def atop_server(tmp_path_factory, shared_data) -> Iterator[str]:
    """A `foedus serve` whose data directory holds the imported ATOP 4.01 alliances."""
    from foedus import store

    data_dir = tmp_path_factory.mktemp("serve-atop-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FOEDUS_DATA_DIR", str(data_dir))
        store.import_dataset("atop", [shared_data / "atop4_01_alliance_level.csv",
                                      shared_data / "atop4_01_member_level.csv"])
    proc, url = start_server(data_dir)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """A headless Debian chromium driven by Playwright (skips without it unless FOEDUS_REQUIRE_BROWSER=1)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not installed (apt-get install chromium)"
        if os.environ.get("FOEDUS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"FOEDUS_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page on the served site; fails the test on any script error."""
    context = browser.new_context(viewport={"width": 1300, "height": 900}, base_url=server)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors, f"script errors in the page: {errors}"


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot to test-artifacts/<test name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(pg, suffix: str = "") -> Path:
        path = ARTIFACTS / f"{request.node.name}{suffix}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take
