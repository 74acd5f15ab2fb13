"""End to end in headless chromium against `foedus serve`: the page a journalist uses."""

from __future__ import annotations

import time

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
    page.fill("#compare-form input[name=a]", "")
    page.fill("#compare-form input[name=a]", a)
    page.fill("#compare-form input[name=b]", b)
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


def _view(page) -> list[float]:
    return [float(v) for v in page.locator("#net-svg").get_attribute("viewBox").split()]


def test_wheel_zooms_drag_pans_and_fit_restores_the_network(page, screenshot):
    page.goto("/")
    page.fill("#net-date", NK_DAY)
    page.dispatch_event("#net-date", "change")
    expect(page.locator("#net-summary")).to_contain_text(NK_DAY)
    russia = page.locator("#net-svg .node[data-id=RUS]")
    expect(russia.locator("text.code")).to_have_text("RUS")
    expect(russia.locator("title")).to_contain_text("Russia")
    fitted = _view(page)
    # zoom in around Russia with the wheel: the view narrows and the point under the pointer stays put
    box = russia.locator("circle").bounding_box()
    cx, cy = round(box["x"] + box["width"] / 2), round(box["y"] + box["height"] / 2)
    page.mouse.move(cx, cy)
    for _ in range(2):
        page.mouse.wheel(0, -300)
    expect(page.locator("#net-svg")).to_have_class("graph zoomed")
    zoomed = _view(page)
    assert zoomed[2] < fitted[2] / 2
    after = russia.locator("circle").bounding_box()
    k = after["width"] / box["width"]
    assert k > 2
    for axis, size, at in (("x", "width", cx), ("y", "height", cy)):
        before_offset = box[axis] + box[size] / 2 - at
        assert abs(after[axis] + after[size] / 2 - at - k * before_offset) < 2
    # zoomed in, Russia's neighbours are named and none of the shown names overlap
    expect(page.locator("#net-svg .labels text.shown[data-id=BLR]")).to_be_visible()
    vw, vh = page.viewport_size["width"], page.viewport_size["height"]
    shown = [b for t in page.locator("#net-svg .labels text.shown").all() if (b := t.bounding_box())
             and b["x"] + b["width"] > 0 and b["x"] < vw and b["y"] + b["height"] > 0 and b["y"] < vh]  # on screen
    assert len(shown) > 3
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            assert (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                    or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])
    screenshot(page, "-zoomed")
    # a drag pans the view without selecting anything; a click still selects Russia
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx - 120, cy - 40, steps=5)
    page.mouse.up()
    panned = _view(page)
    assert panned[0] > zoomed[0] and panned[2] == zoomed[2]
    expect(page.locator("#net-detail-title")).to_have_text("Select a state")
    russia.click()
    expect(page.locator("#net-detail-title")).to_have_text("Russia (RUS)")
    expect(page.locator("#net-svg .labels text.shown[data-id=RUS]")).to_have_text("Russia")
    # fit shows the whole network again, and it stays fitted as the date changes
    page.click("#view-network button.fit")
    assert _view(page) == fitted
    for n in page.locator("#net-svg .node circle").all():
        b, frame = n.bounding_box(), page.locator("#net-svg").bounding_box()
        assert frame["x"] <= b["x"] and b["x"] + b["width"] <= frame["x"] + frame["width"]
        assert frame["y"] <= b["y"] and b["y"] + b["height"] <= frame["y"] + frame["height"]
    screenshot(page)


def test_compare_view_opens_on_the_korean_pair_with_a_searchable_picker(page, server):
    expected = httpx.get(f"{server}/api/compare", params={"a": "rus-prk-2024", "b": "sun-prk-1961"}).json()
    page.goto("/")
    page.click("nav button[data-view=compare]")
    expect(page.locator("#compare-a")).to_have_text(expected["a"]["name"])  # compared without any input
    expect(page.locator("#compare-b")).to_have_text(expected["b"]["name"])
    listed = httpx.get(f"{server}/api/treaties").json()["treaties"]
    expect(page.locator("#treaty-ids option")).to_have_count(len(listed))
    nato = page.locator("#treaty-ids option[value=nato-1949]")
    assert "North Atlantic" in nato.get_attribute("label")
    page.fill("#compare-form input[name=b]", "nato-1949")
    page.click("#compare-form button[type=submit]")
    expect(page.locator("#compare-b")).to_have_text(next(t["name"] for t in listed if t["id"] == "nato-1949"))


PAINTED = "() => performance.getEntriesByName('network-painted')[0]?.startTime ?? null"


def first_paint_ms(page) -> float:
    """Milliseconds from navigation to the first network drawn (the page's ``network-painted`` mark)."""
    expect(page.locator("#net-svg .node").first).to_be_attached(timeout=30_000)
    deadline = time.monotonic() + 30
    while (painted := page.evaluate(PAINTED)) is None and time.monotonic() < deadline:
        page.wait_for_timeout(20)  # polled: the page's CSP forbids the eval wait_for_function uses
    return painted


def test_the_first_paint_draws_todays_network(page, server):
    page.goto("/")
    painted = first_paint_ms(page)
    net = httpx.get(f"{server}/api/network").json()
    expect(page.locator("#net-svg .node")).to_have_count(len(net["nodes"]))
    assert 0 < painted
