"""End to end in headless chromium against `foedus serve`: the page a journalist uses."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from playwright.sync_api import expect

from foedus import assess, cascade
from foedus.corpus.loader import bundled
from foedus.network import alliance_graph

NK_DAY = "2025-03-01"


def rounds_of_war(day: str) -> dict[int, set[str]]:
    """Who enters a South Korean attack on North Korea in each round, per the library's cascade."""
    war = cascade("North Korea", ["South Korea"], date.fromisoformat(day))
    out: dict[int, set[str]] = {}
    for e in war.entries:
        if e.round > 0:
            out.setdefault(e.round, set()).add(e.state)
    return out


def run_scenario(page, attacker: str, target: str, day: str) -> None:
    page.goto("/")
    page.click("nav button[data-view=scenario]")
    page.fill("input[name=attacker]", attacker)
    page.fill("input[name=target]", target)
    page.fill("input[name=on]", day)
    page.click("#scenario-form button[type=submit]")


def test_north_korea_scenario_highlights_its_allies_and_opens_the_article(page, server, screenshot):
    run_scenario(page, "South Korea", "North Korea", NK_DAY)
    expect(page.locator("#rounds .round").first).to_be_visible()
    rounds = rounds_of_war(NK_DAY)
    assert rounds[1] == {"RUS", "CHN"}
    first = page.locator("#rounds .round[data-round='1'] .state.obligated")
    assert {c.get_attribute("data-id") for c in first.all()} == rounds[1]
    assert set(first.all_inner_texts()) == {"Russia", "China"}
    expect(page.locator("#rounds .round")).to_have_count(len(rounds))
    on_graph = page.locator("#scenario-svg .node.obligated")
    assert {n.get_attribute("data-id") for n in on_graph.all()} == set().union(*rounds.values())
    expect(page.locator("#scenario-svg .node.target")).to_have_attribute("data-id", "PRK")
    expect(page.locator("#scenario-svg .node.attacker")).to_have_attribute("data-id", "KOR")
    screenshot(page, "-all-rounds")
    # step back to round 1: only Russia and China stay highlighted
    page.click("#rounds .round[data-round='1'] button:has-text('Round 1')")
    expect(on_graph).to_have_count(len(rounds[1]))
    assert {n.get_attribute("data-id") for n in on_graph.all()} == rounds[1]
    # Russia's Article 4: open it from the findings table
    row = page.locator("#findings tbody tr", has_text="Russia").filter(has_text="defense").first
    row.locator(".article-link").click()
    expect(page.locator("#article")).to_be_visible()
    expect(page.locator("#article-title")).to_contain_text("Article 4")
    treaty = httpx.get(f"{server}/api/treaties/rus-prk-2024").json()
    art4 = next(a["text"] for a in treaty["articles"] if a["number"] == "4")
    expect(page.locator("#article-text")).to_have_text(art4)
    # each highlighted state opens the article that binds it
    china = next(f for f in assess("North Korea", ["South Korea"], date.fromisoformat(NK_DAY)).findings
                 if f.obligor == "CHN" and f.kind.value == "defense")
    page.click("#rounds .state[data-id=CHN]")
    expect(page.locator("#article-title")).to_have_text(f"{china.treaty_name}, Article {china.article}")
    expect(page.locator("#article-text")).to_have_text(china.text)
    screenshot(page)


def test_unknown_state_and_bad_date_show_a_clear_error(page, screenshot):
    run_scenario(page, "South Korea", "Atlantis", NK_DAY)
    expect(page.locator("#error")).to_contain_text("unknown state: 'Atlantis'")
    expect(page.locator("#scenario-result")).to_be_hidden()
    screenshot(page, "-unknown-state")
    run_scenario(page, "South Korea", "North Korea", "1700-01-01")
    expect(page.locator("#error")).to_contain_text("before the state system begins")
    screenshot(page, "-bad-date")


def test_network_follows_the_date(page, screenshot):
    treaty = bundled().get("rus-prk-2024")
    day_before, day_of = treaty.in_force - timedelta(days=1), treaty.in_force
    rank_before, rank_of = (int(alliance_graph(d).edges["PRK", "RUS"]["strength"]) for d in (day_before, day_of))
    assert rank_before < rank_of
    page.goto("/")
    expect(page.locator("#net-svg .node").first).to_be_visible()
    years = httpx.get(f"{page.url.rstrip('/')}/api/network").json()["years"]
    assert page.locator("#net-year").get_attribute("min") == str(years[0])
    pair = "#net-svg line.edge[data-source=PRK][data-target=RUS]"
    for day, rank in ((day_before, rank_before), (day_of, rank_of)):
        page.fill("#net-date", str(day))
        page.dispatch_event("#net-date", "change")
        expect(page.locator("#net-summary")).to_contain_text(str(day))
        expect(page.locator(pair)).to_have_class(f"edge rank-{rank}")
    page.click("#net-svg .node[data-id=RUS]")
    expect(page.locator("#net-detail")).to_contain_text("owes North Korea: defense, A-AUTO (rus-prk-2024, Art. 4)")
    # the slider moves the date: its first year shows the early network
    page.locator("#net-year").fill(str(years[0]))
    expect(page.locator("#net-date")).to_have_value(f"{years[0]:04d}-07-01")
    expect(page.locator("#net-summary")).to_contain_text(f"{years[0]:04d}-07-01")
    screenshot(page)


def test_compare_view_shows_two_treaties_side_by_side_with_a_diff(page, server, screenshot):
    a, b = "rus-prk-2024", "sun-prk-1961"
    expected = httpx.get(f"{server}/api/compare", params={"a": a, "b": b}).json()
    page.goto("/")
    page.click("nav button[data-view=compare]")
    page.select_option("#compare-form select[name=a]", a)
    page.select_option("#compare-form select[name=b]", b)
    page.click("#compare-form button[type=submit]")
    expect(page.locator("#compare-a")).to_have_text(expected["a"]["name"])
    expect(page.locator("#compare-b")).to_have_text(expected["b"]["name"])
    fields = sum(len(r["a"] or r["b"]) for r in expected["rows"])
    expect(page.locator("#compare-table tbody tr")).to_have_count(fields)
    defense = next(r for r in expected["rows"] if r["kind"] == "defense")
    removed = [d["text"] for d in defense["diff"] if d["op"] == "-"]
    added = [d["text"] for d in defense["diff"] if d["op"] == "+"]
    block = page.locator(".diff[data-kind=defense]")
    assert block.locator("del").all_inner_texts() == removed
    assert block.locator("ins").all_inner_texts() == added
    assert removed and added
    screenshot(page)
