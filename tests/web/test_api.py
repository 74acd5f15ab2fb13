"""The REST API against a running `foedus serve`: same documents as the CLI, clean 4xx errors."""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

from foedus.api import MAX_BODY_BYTES
from foedus.cli import app

NK_SCENARIO = {"target": "North Korea", "attackers": ["South Korea"], "on": "2025-03-01"}


def cli_json(*args: str) -> dict:
    """What `foedus ARGS` prints, parsed."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def without_meta(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "meta"}


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


def test_assess_is_the_cli_document_plus_sources(client):
    r = client.post("/api/assess", json=NK_SCENARIO)
    assert r.status_code == 200
    body = r.json()
    cli = cli_json("assess", "--target", "North Korea", "--attacker", "South Korea", "--on", "2025-03-01", "--json")
    assert without_meta(body) == without_meta(cli)  # each names the releases of its own data directory in meta
    assert set(body["meta"]["releases"]) <= {"atop", "cow-states"} and "releases" in cli["meta"]
    obligated = {f["obligor"] for f in body["findings"] if f["status"] == "obligated" and f["kind"] == "defense"}
    assert "RUS" in obligated
    cited = {s["treaty"] for s in body["meta"]["sources"]}
    assert cited == {f["treaty"] for f in body["findings"]}
    assert all(s["citation"] for s in body["meta"]["sources"])


@pytest.mark.parametrize("conditional", [False, True])
def test_cascade_is_the_cli_document_plus_sources(client, conditional):
    r = client.post("/api/cascade", json={**NK_SCENARIO, "conditional": conditional})
    assert r.status_code == 200
    body = r.json()
    flags = ["--conditional"] if conditional else []
    assert without_meta(body) == without_meta(cli_json("cascade", "--target", "North Korea", "--attacker",
                                                       "South Korea", "--on", "2025-03-01", *flags, "--json"))
    assert {e["state"] for e in body["entries"] if e["round"] == 1} >= {"RUS", "CHN"}
    used = {f["treaty"] for group in ("entries", "conflicts") for x in body[group] for f in x["findings"]}
    assert {s["treaty"] for s in body["meta"]["sources"]} == used


def test_treaty_list_filters_match_the_cli(client):
    assert without_meta(client.get("/api/treaties").json()) == cli_json("treaties", "--json")
    filtered = client.get("/api/treaties", params={"party": "DPRK", "on": "2025-03-01"}).json()
    assert without_meta(filtered) == cli_json("treaties", "--party", "DPRK", "--on", "2025-03-01", "--json")
    assert "rus-prk-2024" in {t["id"] for t in filtered["treaties"]}
    before = client.get("/api/treaties", params={"party": "PRK", "on": "2024-12-03"}).json()
    assert "rus-prk-2024" not in {t["id"] for t in before["treaties"]}


@pytest.mark.parametrize("source", ["curated", "atop"])
def test_treaty_list_filters_by_source(client, source):
    listed = client.get("/api/treaties", params={"source": source}).json()["treaties"]
    for t in listed:
        assert client.get(f"/api/treaties/{t['id']}").json()["origin"] == source
    everything = client.get("/api/treaties").json()["treaties"]
    expected = [t for t in everything if client.get(f"/api/treaties/{t['id']}").json()["origin"] == source]
    assert listed == expected


def test_show_compare_state_and_network_match_the_cli(client):
    ids = [t["id"] for t in client.get("/api/treaties").json()["treaties"]]
    a, b = ids[0], ids[-1]
    assert without_meta(client.get(f"/api/treaties/{a}").json()) == cli_json("show", a, "--json")
    assert without_meta(client.get("/api/compare", params={"a": a, "b": b}).json()) == cli_json("compare", a, b, "--json")
    state = client.get("/api/states/DPRK").json()
    assert without_meta(state) == cli_json("state", "DPRK", "--json")
    assert state["id"] == "PRK"
    net = client.get("/api/network", params={"on": "2025-03-01"}).json()
    assert without_meta(net) == cli_json("network", "--on", "2025-03-01", "--json")


def test_openapi_documents_every_route(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/assess", "/api/cascade", "/api/treaties", "/api/treaties/{treaty_id}", "/api/compare", "/api/network",
            "/api/states/{query}", "/api/places", "/api/strength", "/api/meta"} <= set(spec["paths"])
    for path, ops in spec["paths"].items():
        for op in ops.values():
            assert op.get("description") or op.get("summary"), path


BAD_REQUESTS = [
    ("unknown state", "POST", "/api/assess", {"json": {"target": "Atlantis"}}, 400, "unknown state: 'Atlantis'"),
    ("cascade: unknown state", "POST", "/api/cascade", {"json": {"target": "Atlantis"}}, 400, "unknown state"),
    ("cascade: bad flag", "POST", "/api/cascade", {"json": {"target": "PRK", "conditional": "perhaps"}}, 422,
     "conditional:"),
    ("unknown attacker", "POST", "/api/assess", {"json": {"target": "PRK", "attackers": ["Swedn"]}}, 400, "Sweden"),
    ("same attacker and target", "POST", "/api/assess", {"json": {"target": "PRK", "attackers": ["DPRK"]}}, 400,
     "both attacker and target"),
    ("impossible date", "POST", "/api/assess", {"json": {"target": "PRK", "on": "2025-02-30"}}, 422, "on:"),
    ("date before the state system", "POST", "/api/assess", {"json": {"target": "PRK", "on": "1700-01-01"}}, 400,
     "before the state system"),
    ("unknown place", "POST", "/api/assess", {"json": {"target": "PRK", "place": "Narnia"}}, 400, "unknown place"),
    ("unknown act", "POST", "/api/assess", {"json": {"target": "PRK", "act": "insult"}}, 422, "act:"),
    ("missing target", "POST", "/api/assess", {"json": {"attackers": ["KOR"]}}, 422, "target:"),
    ("wrong type", "POST", "/api/assess", {"json": {"target": ["PRK"]}}, 422, "target:"),
    ("unexpected field", "POST", "/api/assess", {"json": {"target": "PRK", "victim": "KOR"}}, 422, "victim:"),
    ("malformed JSON", "POST", "/api/assess",
     {"content": b'{"target": "PRK",', "headers": {"content-type": "application/json"}}, 422, "malformed JSON body"),
    ("not JSON at all", "POST", "/api/assess",
     {"content": b"\xff\xfe\x00garbage", "headers": {"content-type": "application/json"}}, 422, ""),
    ("deeply nested JSON", "POST", "/api/assess",
     {"content": b"[" * 30000 + b"]" * 30000, "headers": {"content-type": "application/json"}}, 400, "parsing the body"),
    ("form body", "POST", "/api/assess", {"data": {"target": "PRK"}}, 422, ""),
    ("overlong state name", "GET", "/api/states/" + "x" * 5000, {}, 422, "at most 200 characters"),
    ("JSON array body", "POST", "/api/assess", {"json": ["PRK"]}, 422, ""),
    ("bad query date", "GET", "/api/network", {"params": {"on": "yesterday"}}, 422, "on:"),
    ("unknown treaty", "GET", "/api/treaties/nato-2049", {}, 404, "unknown treaty: 'nato-2049'"),
    ("unknown treaty in compare", "GET", "/api/compare", {"params": {"a": "rus-prk-2024", "b": "xx"}}, 404,
     "unknown treaty"),
    ("unknown party", "GET", "/api/treaties", {"params": {"party": "Atlantis"}}, 400, "unknown state"),
    ("superscript digit as a state", "GET", "/api/states/%C2%B2", {}, 400, "unknown state"),
    ("unknown route", "GET", "/api/nothing-here", {}, 404, "Not Found"),
    ("wrong method", "GET", "/api/assess", {}, 405, "Method Not Allowed"),
]


@pytest.mark.parametrize(("what", "method", "path", "kwargs", "status", "message"), BAD_REQUESTS,
                         ids=[b[0] for b in BAD_REQUESTS])
def test_bad_input_gets_a_clear_4xx(client, what, method, path, kwargs, status, message):
    r = client.request(method, path, **kwargs)
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    assert message in body["error"]
    assert "\n" not in body["error"] and "Traceback" not in body["error"]


def test_huge_body_with_length_is_rejected_before_reading(client):
    huge = json.dumps({"target": "PRK", "attackers": ["KOR"] * 200_000}).encode()
    assert len(huge) > MAX_BODY_BYTES
    r = client.post("/api/assess", content=huge, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json() == {"error": f"request body too large (limit {MAX_BODY_BYTES} bytes)"}


def test_huge_streamed_body_without_length_is_rejected(client):
    def chunks():
        yield b'{"target": "PRK", "place": "'
        for _ in range(64):
            yield b"x" * 4096
        yield b'"}'

    r = client.post("/api/assess", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "too large" in r.json()["error"]
    assert client.post("/api/assess", json=NK_SCENARIO).status_code == 200  # the server is still fine


def test_the_page_and_its_assets_are_served_locally(client):
    html = client.get("/").text
    assert '<script src="/static/app.js"' in html
    for asset in ("/static/app.js", "/static/style.css"):
        r = client.get(asset)
        assert r.status_code == 200 and r.text
    for text in (html, client.get("/static/app.js").text, client.get("/static/style.css").text):
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text
