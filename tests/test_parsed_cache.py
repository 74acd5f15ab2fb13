"""Parsed copies: a source is parsed once per content, and a stale, damaged or unwritable copy does no harm."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest
from polars.testing import assert_frame_equal

from foedus import panel as P
from foedus import parsed_cache
from foedus.errors import DataError

ATOP = "atop5_1_ddyr_obligations_peacesciencer.csv"


class Counted:
    """A parser that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, path: Path) -> pl.DataFrame:
        self.calls += 1
        return pl.read_csv(path)


@pytest.fixture
def atop_copy(shared_data: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(shared_data / ATOP, tmp_path / ATOP))


def test_a_source_is_parsed_once_and_then_read_back_whole(atop_copy):
    parse = Counted()
    first = parsed_cache.parsed(atop_copy, "test", parse)
    second = parsed_cache.parsed(atop_copy, "test", parse)
    assert parse.calls == 1
    assert_frame_equal(first, second)
    assert_frame_equal(second, pl.read_csv(atop_copy))


def test_an_edited_source_is_parsed_again(atop_copy):
    parse = Counted()
    parsed_cache.parsed(atop_copy, "test", parse)
    edited = pl.read_csv(atop_copy).filter(pl.col("year") < 1900)
    edited.write_csv(atop_copy)
    assert_frame_equal(parsed_cache.parsed(atop_copy, "test", parse), edited)
    assert parse.calls == 2


def test_a_damaged_copy_is_parsed_again_and_replaced(atop_copy):
    parse = Counted()
    parsed_cache.parsed(atop_copy, "test", parse)
    copy = parsed_cache.copy_path(atop_copy, "test")
    copy.write_bytes(copy.read_bytes()[:1000])
    assert_frame_equal(parsed_cache.parsed(atop_copy, "test", parse), pl.read_csv(atop_copy))
    assert_frame_equal(parsed_cache.parsed(atop_copy, "test", parse), pl.read_csv(atop_copy))
    assert parse.calls == 2


def test_without_a_writable_data_directory_it_parses_every_time(atop_copy, tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path / "a-file" / "data"))
    parse = Counted()
    for _ in range(2):
        assert_frame_equal(parsed_cache.parsed(atop_copy, "test", parse), pl.read_csv(atop_copy))
    assert parse.calls == 2


@pytest.mark.parametrize("version, name", [("5.1", ATOP), ("4.01", "atop4_01_member_level.csv")])
def test_atop_flags_from_the_copy_equal_the_parsed_file(shared_data, version, name):
    fresh = P.read_atop_flags(version, shared_data / name)
    assert parsed_cache.copy_path(shared_data / name, f"atop-{version}-flags").is_file()
    assert_frame_equal(P.read_atop_flags(version, shared_data / name), fresh)


def test_a_malformed_file_leaves_no_copy(tmp_path):
    bad = tmp_path / "atop.csv"
    bad.write_text("ccode1,ccode2,year\n2,20,1942\n")
    with pytest.raises(DataError, match="not an ATOP dyad-year obligations file"):
        P.read_atop_flags("5.1", bad)
    assert not parsed_cache.copy_path(bad, "atop-5.1-flags").exists()


class CountedHash:
    """hashlib.file_digest, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.real = hashlib.file_digest

    def __call__(self, f, name):
        self.calls += 1
        return self.real(f, name)


@pytest.fixture
def counted_hash(monkeypatch) -> CountedHash:
    counted = CountedHash()
    monkeypatch.setattr(hashlib, "file_digest", counted)
    return counted


def test_a_settled_file_is_hashed_once(tmp_path, monkeypatch, counted_hash):
    monkeypatch.setattr(parsed_cache, "SETTLED", 0)
    source = tmp_path / "a.csv"
    source.write_bytes(b"x" * 1000)
    assert {parsed_cache.digest(source) for _ in range(3)} == {hashlib.sha256(b"x" * 1000).hexdigest()}
    assert counted_hash.calls == 1


def test_a_file_changed_shortly_before_hashing_is_hashed_each_time(tmp_path, counted_hash):
    source = tmp_path / "a.csv"
    source.write_bytes(b"x" * 1000)
    parsed_cache.digest(source)
    parsed_cache.digest(source)
    assert counted_hash.calls == 2


def test_a_rewrite_with_the_same_size_and_modification_time_is_hashed_again(tmp_path, monkeypatch):
    monkeypatch.setattr(parsed_cache, "SETTLED", 0)
    source = tmp_path / "a.csv"
    source.write_bytes(b"x" * 1000)
    before = source.stat()
    assert parsed_cache.digest(source) == hashlib.sha256(b"x" * 1000).hexdigest()
    time.sleep(0.01)
    source.write_bytes(b"y" * 1000)
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))  # the change time still moves
    assert parsed_cache.digest(source) == hashlib.sha256(b"y" * 1000).hexdigest()


def test_a_damaged_digest_memo_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr(parsed_cache, "SETTLED", 0)
    source = tmp_path / "a.csv"
    source.write_bytes(b"x" * 1000)
    parsed_cache.digest(source)
    for memo in (parsed_cache.data_dir() / "cache" / "digests").iterdir():
        memo.write_text("garbage")
    assert parsed_cache.digest(source) == hashlib.sha256(b"x" * 1000).hexdigest()


def test_a_copy_is_one_record_batch_so_columns_read_back_without_a_copy(atop_copy):
    chunked = pl.concat([pl.read_csv(atop_copy).head(10), pl.read_csv(atop_copy).tail(10)], rechunk=False)
    parsed_cache.parsed(atop_copy, "test", lambda _: chunked)
    copy = parsed_cache.copy_path(atop_copy, "test")
    assert pa.ipc.open_file(pa.memory_map(str(copy))).num_record_batches == 1
    assert_frame_equal(parsed_cache.parsed(atop_copy, "test", Counted()), chunked)
