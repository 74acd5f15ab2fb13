"""The API and the page once ATOP is imported: history back to 1815."""

from __future__ import annotations

from datetime import date

import httpx
from playwright.sync_api import expect


def test_network_reaches_back_to_1815_with_atop_alliances(atop_server):
    net = httpx.get(f"{atop_server}/api/network", params={"on": "1914-08-01"}, timeout=30).json()
    assert net["years"] == [1815, date.today().year]
    atop_ids = {t["id"] for t in httpx.get(f"{atop_server}/api/treaties",
                                           params={"source": "atop", "on": "1914-08-01"}, timeout=30).json()["treaties"]}
    assert atop_ids
    on_graph = {t for e in net["edges"] for t in e["treaties"]}
    assert on_graph and on_graph <= atop_ids | {t["id"] for t in httpx.get(
        f"{atop_server}/api/treaties", params={"source": "curated", "on": "1914-08-01"}, timeout=30).json()["treaties"]}
    assert on_graph & atop_ids
    cited = {s["treaty"] for s in net["meta"]["sources"]}
    assert cited <= on_graph


def test_page_slider_starts_in_1815_and_draws_the_1914_alliances(browser, atop_server, screenshot):
    context = browser.new_context(viewport={"width": 1300, "height": 900}, base_url=atop_server)
    page = context.new_page()
    page.goto("/")
    expect(page.locator("#net-year")).to_have_attribute("min", "1815")
    page.locator("#net-year").fill("1914")
    expect(page.locator("#net-summary")).to_contain_text("1914-07-01")
    expected = httpx.get(f"{atop_server}/api/network", params={"on": "1914-07-01"}, timeout=30).json()
    expect(page.locator("#net-svg .node")).to_have_count(len(expected["nodes"]))
    expect(page.locator("#net-svg line.edge")).to_have_count(len(expected["edges"]))
    screenshot(page)
    context.close()
