"""The downloader against a local HTTP server serving the real data files (no internet)."""

from __future__ import annotations

import hashlib

import pytest
from http_fixture import serve
from typer.testing import CliRunner

from foedus.cli import app
from foedus.datasets import registry
from foedus.datasets.download import fetch, sha256_of
from foedus.errors import DataError, FoedusError


@pytest.fixture
def server(shared_data):
    srv = serve(shared_data)
    yield srv
    srv.shutdown()
    srv.server_close()


def test_pins_match_the_reference_copies(shared_data):
    for ds in registry.DATASETS.values():
        for f in ds.files:
            path = shared_data / f.name
            assert (sha256_of(path), path.stat().st_size) == (f.sha256, f.size)


def test_fetch_places_verified_files_in_the_data_dir(server, shared_data):
    got = fetch("atop", url=server.url)
    assert [g.file for g in got] == [f.name for f in registry.get("atop").files]
    for g in got:
        assert g.path == registry.get("atop").path(g.file)
        assert g.path.read_bytes() == (shared_data / g.file).read_bytes()
        assert not g.path.with_name(g.file + ".part").exists()
    again = fetch("atop", url=server.url)
    assert not any(g.downloaded for g in again)
    assert len(server.requests) == 3  # the second fetch found verified copies and asked for nothing


def test_mirror_environment_variable(server, monkeypatch):
    monkeypatch.setenv(registry.MIRROR_ENV, server.url)
    (got,) = fetch("cow-states")
    assert got.path.exists() and server.requests == [("states2016.csv", None)]


def test_corrupt_download_is_discarded(server):
    server.corrupt.add("states2016.csv")
    with pytest.raises(DataError, match=r"states2016\.csv: sha256 mismatch .* discarded"):
        fetch("cow-states", url=server.url)
    folder = registry.get("cow-states").path("states2016.csv").parent
    assert list(folder.iterdir()) == []


def test_truncated_download_fails_then_resumes(server, shared_data):
    server.truncate.add("atop4_01_member_level.csv")
    with pytest.raises(DataError, match=r"atop4_01_member_level\.csv: download (truncated|interrupted).*resume"):
        fetch("atop", url=server.url)
    dest = registry.get("atop").path("atop4_01_member_level.csv")
    part = dest.with_name(dest.name + ".part")
    assert not dest.exists() and 0 < part.stat().st_size < (shared_data / dest.name).stat().st_size
    have = part.stat().st_size
    fetch("atop", url=server.url)
    assert ("atop4_01_member_level.csv", f"bytes={have}-") in server.requests
    assert dest.read_bytes() == (shared_data / dest.name).read_bytes() and not part.exists()


def test_explicit_checksum_accepts_another_release(server, shared_data):
    server.corrupt.add("states2016.csv")
    body = bytearray((shared_data / "states2016.csv").read_bytes())
    body[100] ^= 1
    other = hashlib.sha256(body).hexdigest()
    (got,) = fetch("cow-states", url=server.url, sha256={"states2016.csv": other})
    assert got.sha256 == other and got.path.read_bytes() == bytes(body)


def test_unreachable_server_is_one_clear_error():
    with pytest.raises(DataError, match=r"http://127\.0\.0\.1:9/states2016\.csv: cannot connect"):
        fetch("cow-states", url="http://127.0.0.1:9/")


def test_missing_file_on_server(server, tmp_path):
    with pytest.raises(DataError, match=r"/states2016\.csv: HTTP 404"):
        fetch("cow-states", url=server.url + "nowhere/")


def test_unknown_dataset_suggests():
    with pytest.raises(FoedusError, match="unknown dataset: 'atp'.*did you mean atop"):
        fetch("atp")


def test_cli_fetch(server):
    result = CliRunner().invoke(app, ["data", "fetch", "cow-states", "--url", server.url])
    assert result.exit_code == 0, result.output
    assert "states2016.csv" in result.output
    assert registry.get("cow-states").path("states2016.csv").exists()


def test_resume_against_a_server_without_ranges_starts_over(server, shared_data):
    server.truncate.add("states2016.csv")
    with pytest.raises(DataError, match="resume"):
        fetch("cow-states", url=server.url)
    server.ranges = False
    (got,) = fetch("cow-states", url=server.url)
    assert got.path.read_bytes() == (shared_data / "states2016.csv").read_bytes()


def test_complete_partial_file_is_verified_and_placed(server, shared_data):
    dest = registry.get("cow-states").path("states2016.csv")
    dest.parent.mkdir(parents=True)
    body = (shared_data / "states2016.csv").read_bytes()
    dest.with_name(dest.name + ".part").write_bytes(body)
    fetch("cow-states", url=server.url)
    assert server.requests == [("states2016.csv", f"bytes={len(body)}-")]  # answered 416: nothing left to send
    assert dest.read_bytes() == body


def test_cli_rejects_a_malformed_checksum_option():
    result = CliRunner().invoke(app, ["data", "fetch", "cow-states", "--sha256", "states2016.csv=abc"])
    assert result.exit_code != 0
    assert "bad --sha256 'states2016.csv=abc' (use FILE=HEX" in str(result.exception)


def test_checksum_for_an_unknown_file_is_refused():
    with pytest.raises(FoedusError, match="dataset cow-states has no file 'x.csv'"):
        fetch("cow-states", url="http://127.0.0.1:9/", sha256={"x.csv": "0" * 64})
