"""The downloader against a local HTTP publisher serving the publishers' downloads in their own layout
(zips built from synthetic rows by tests/publisher_fixture.py; no internet)."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from publisher_fixture import atop_zip, cow_download
from typer.testing import CliRunner

from foedus import store
from foedus.cli import app
from foedus.datasets import registry
from foedus.datasets.download import fetch
from foedus.errors import DataError, FoedusError

COW24 = "States2024.zip"




def test_registry_names_the_publishers_addresses():
    atop, cow = registry.get("atop"), registry.get("cow-states")
    assert atop.release().url == "http://www.atopdata.org/uploads/6/9/1/3/69134503/atop_5.1__.csv_.zip"
    assert [k.inner for k in atop.release("5.1").kept] == [
        "ATOP 5.1 (.csv)/atop5_1a.csv", "ATOP 5.1 (.csv)/atop5_1m.csv", "ATOP 5.1 (.csv)/atop5_1ddyr.csv"]
    assert cow.release().url == "https://correlatesofwar.org/wp-content/uploads/States2024.zip"
    assert cow.release().kept[0].inner == "States2024/statelist2024.csv"
    assert cow.release("2016").url == "https://correlatesofwar.org/wp-content/uploads/states2016.csv"
    assert all(r.sha256 is None for d in registry.DATASETS.values() for r in d.releases.values())


@pytest.mark.parametrize(("dataset", "release"), [("atop", "5.1"), ("atop", "4.01"), ("cow-states", "2024"),
                                                  ("cow-states", "2016")])
def test_first_download_records_its_checksum_and_later_fetches_verify(publisher, dataset, release):
    name, body = (atop_zip if dataset == "atop" else cow_download)(release)
    got = fetch(dataset, release, url=publisher.url)
    rel = registry.get(dataset).release(release)
    assert [g.file for g in got] == [k.name for k in rel.kept]
    assert all(g.recorded and g.downloaded and g.sha256 == hashlib.sha256(body).hexdigest() for g in got)
    for g, k in zip(got, rel.kept, strict=True):
        expected = zipfile.ZipFile(publisher.root / name).read(k.inner) if k.inner else body
        assert g.path.read_bytes() == expected and g.path.parent == registry.get(dataset).folder(release)
    recorded = store.recorded_download(dataset, release)
    assert (recorded.file, recorded.sha256, recorded.bytes) == (name, got[0].sha256, len(body))
    again = fetch(dataset, release, url=publisher.url)
    assert not any(g.downloaded or g.recorded for g in again)
    assert len(publisher.requests) == 1  # the second fetch found the verified download and asked for nothing


def test_a_changed_download_fails_against_the_recorded_checksum(publisher):
    fetch("cow-states", url=publisher.url)
    (registry.get("cow-states").folder("2024") / COW24).unlink()
    changed = bytearray(cow_download("2024")[1])
    changed[-30] ^= 1  # same size, other bytes
    (publisher.root / "States2024.zip").write_bytes(bytes(changed))
    with pytest.raises(DataError, match=r"sha256 mismatch \(expected the recorded [0-9a-f]{64}, got [0-9a-f]{64}\); "
                                        r"the download was discarded$"):
        fetch("cow-states", url=publisher.url)
    assert not (registry.get("cow-states").folder("2024") / (COW24 + ".part")).exists()


def test_explicit_checksum_overrides_and_is_recorded(publisher):
    fetch("cow-states", url=publisher.url)
    (registry.get("cow-states").folder("2024") / COW24).unlink()
    inner = zipfile.ZipFile(io.BytesIO(cow_download("2024")[1])).read("States2024/statelist2024.csv")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("States2024/statelist2024.csv", inner.replace(b"Canada", b"Kanada"))
    other = buf.getvalue()
    assert hashlib.sha256(other).hexdigest() != store.recorded_download("cow-states", "2024").sha256
    (publisher.root / COW24).write_bytes(other)
    digest = hashlib.sha256(other).hexdigest()
    (got,) = fetch("cow-states", url=publisher.url, sha256={COW24: digest})
    assert got.sha256 == digest and store.recorded_download("cow-states", "2024").sha256 == digest
    with pytest.raises(FoedusError, match="--sha256 names 'x.zip', but this release's download is 'States2024.zip'"):
        fetch("cow-states", url=publisher.url, sha256={"x.zip": digest})


def test_mirror_environment_variable(publisher, monkeypatch):
    monkeypatch.setenv(registry.MIRROR_ENV, publisher.url)
    (got,) = fetch("cow-states", "2016")
    assert got.path.exists() and publisher.requests == [("states2016.csv", None)]


def test_truncated_download_fails_then_resumes(publisher):
    name, body = atop_zip("5.1")
    publisher.truncate.add(name)
    with pytest.raises(DataError, match=rf"{name.replace('.', '[.]')}: download (truncated|interrupted).*resume"):
        fetch("atop", url=publisher.url)
    part = registry.get("atop").folder("5.1") / (name + ".part")
    have = part.stat().st_size
    assert 0 < have < len(body)
    fetch("atop", url=publisher.url)
    assert (name, f"bytes={have}-") in publisher.requests and not part.exists()


def test_resume_against_a_server_without_ranges_starts_over(publisher):
    publisher.truncate.add("states2016.csv")
    with pytest.raises(DataError, match="resume"):
        fetch("cow-states", "2016", url=publisher.url)
    publisher.ranges = False
    (got,) = fetch("cow-states", "2016", url=publisher.url)
    assert got.path.read_bytes() == cow_download("2016")[1]


def test_a_zip_without_the_kept_files_is_discarded(publisher):
    (publisher.root / COW24).write_bytes(cow_download("2016")[1])  # a CSV served under the zip's name
    with pytest.raises(DataError, match=r"States2024\.zip: not a zip file; the download was discarded"):
        fetch("cow-states", url=publisher.url)
    assert store.recorded_download("cow-states", "2024") is None


def test_unreachable_server_is_one_clear_error():
    with pytest.raises(DataError, match=r"http://127\.0\.0\.1:9/states2016\.csv: cannot connect"):
        fetch("cow-states", "2016", url="http://127.0.0.1:9/")


def test_missing_file_on_server(publisher):
    with pytest.raises(DataError, match=r"/States2024\.zip: HTTP 404"):
        fetch("cow-states", url=publisher.url + "nowhere/")


def test_unknown_dataset_and_release():
    with pytest.raises(FoedusError, match="unknown dataset: 'atp'.*did you mean atop"):
        fetch("atp")
    with pytest.raises(FoedusError, match=r"atop has no release '6\.0' \(known: 5\.1, 4\.01\)"):
        fetch("atop", "6.0")


def test_cli_fetch_installs_the_cow_list_and_status_shows_the_recorded_checksum(publisher):
    runner = CliRunner()
    result = runner.invoke(app, ["data", "fetch", "cow-states", "--url", publisher.url])
    assert result.exit_code == 0, result.output
    assert "recorded at this first download (not pinned)" in result.output and "installed" in result.output
    status = runner.invoke(app, ["data", "status"]).output
    assert "list-level 2024: statelist2024.csv, 4 rows" in status
    assert "download 2024: States2024.zip" in status and "(not pinned)" in status
    assert "atop (Alliance Treaty Obligations and Provisions (ATOP)): not imported" in status


def test_cli_rejects_a_malformed_checksum_option():
    result = CliRunner().invoke(app, ["data", "fetch", "cow-states", "--sha256", "States2024.zip=abc"])
    assert result.exit_code != 0
    assert "bad --sha256 'States2024.zip=abc' (use HEX or FILE=HEX" in str(result.exception)
