"""The cascade index kept on disk: the second use of a (corpus, date) reads it instead of compiling."""

from __future__ import annotations

import importlib
from datetime import date

import pytest

from foedus import disk_cache, index_cache
from foedus.corpus import load_corpus
from foedus.corpus.compiled import compiled

DAY = date(2025, 3, 1)


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path))
    index_cache.cascade_index.cache_clear()
    yield compiled([], load_corpus)
    index_cache.cascade_index.cache_clear()


def _refuse_to_compile(monkeypatch) -> None:
    engine = importlib.import_module("foedus.cascade")  # `import foedus.cascade as x` gives the function

    def refuse(*_args):
        raise AssertionError("compiled again")

    monkeypatch.setattr(engine, "compile_index", refuse)


def _summary(index) -> tuple:
    return index.ids, [(k.finding.obligor, k.finding.beneficiary, k.side, k.finding.status) for k in index.links]


def test_a_second_process_reads_the_index_instead_of_compiling(corpus, monkeypatch):
    first = index_cache.cascade_index(corpus, DAY)
    index_cache.cascade_index.cache_clear()  # as a new process would start
    _refuse_to_compile(monkeypatch)
    again = index_cache.cascade_index(compiled([], load_corpus), DAY)
    assert _summary(again) == _summary(first)
    assert set(again.treaties_of) == set(first.treaties_of)


def test_the_cascade_from_a_kept_index_is_the_compiled_one(corpus, monkeypatch):
    from foedus.cascade import cascade

    fresh = cascade("PRK", ["KOR"], DAY, corpus=corpus).as_json()
    index_cache.cascade_index.cache_clear()
    _refuse_to_compile(monkeypatch)
    assert cascade("PRK", ["KOR"], DAY, corpus=compiled([], load_corpus)).as_json() == fresh


def test_each_date_and_corpus_has_its_own_copy(corpus, tmp_path):
    index_cache.cascade_index(corpus, DAY)
    index_cache.cascade_index(corpus, date(1990, 7, 1))
    other = load_corpus()  # no compiled digest: digested from its treaties, so a third copy
    other.treaties.pop("rus-prk-2024")
    index_cache.cascade_index(other, DAY)
    assert len(list((tmp_path / "cache").glob("index-*.pickle"))) == 3


def test_a_damaged_copy_is_compiled_again(corpus, tmp_path):
    first = index_cache.cascade_index(corpus, DAY)
    (copy,) = (tmp_path / "cache").glob("index-*.pickle")
    copy.write_bytes(copy.read_bytes()[:-10])
    assert disk_cache.read(copy) is None
    index_cache.cascade_index.cache_clear()
    assert _summary(index_cache.cascade_index(corpus, DAY)) == _summary(first)
    assert disk_cache.read(copy) is not None


def test_read_only_compiles_without_writing_but_still_reads_a_kept_copy(corpus, tmp_path, monkeypatch):
    with index_cache.read_only():
        first = index_cache.cascade_index(corpus, DAY)
    assert not list((tmp_path / "cache").glob("index-*.pickle"))
    index_cache.cascade_index.cache_clear()
    index_cache.cascade_index(corpus, DAY)  # outside: kept
    assert len(list((tmp_path / "cache").glob("index-*.pickle"))) == 1
    index_cache.cascade_index.cache_clear()
    _refuse_to_compile(monkeypatch)
    with index_cache.read_only():
        assert _summary(index_cache.cascade_index(compiled([], load_corpus), DAY)) == _summary(first)
