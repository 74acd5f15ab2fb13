"""The compiled corpus copy: read back equal, keyed by its sources, rebuilt when damaged."""

from __future__ import annotations

from pathlib import Path

from foedus.corpus import load_corpus
from foedus.corpus.compiled import KEEP, compiled, key


class Builds:
    """Counts how often the corpus is built from source."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return load_corpus()


def _copies(data: Path) -> list[Path]:
    return sorted((data / "cache").glob("corpus-*.pickle"))


def test_a_copy_is_built_once_then_read_back_equal(tmp_path, monkeypatch):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path))
    source = tmp_path / "store"
    source.write_bytes(b"one")
    build = Builds()
    first, second = compiled([source], build), compiled([source], build)
    assert build.calls == 1
    assert list(second.treaties) == list(first.treaties)
    assert all(second.get(t.id) == t for t in first)


def test_changed_or_removed_sources_name_another_copy(tmp_path):
    source = tmp_path / "store"
    source.write_bytes(b"one")
    before = key([source])
    source.write_bytes(b"two")
    after = key([source])
    source.unlink()
    assert len({before, after, key([source])}) == 3


def test_a_damaged_copy_is_rebuilt_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path))
    build = Builds()
    expected = compiled([], build)
    (copy,) = _copies(tmp_path)
    blob = bytearray(copy.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    copy.write_bytes(bytes(blob))
    again = compiled([], build)
    assert build.calls == 2
    assert list(again.treaties) == list(expected.treaties)
    assert copy.read_bytes() != bytes(blob)


def test_only_the_newest_copies_are_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path))
    source = tmp_path / "store"
    for i in range(KEEP + 3):
        source.write_bytes(str(i).encode())
        compiled([source], Builds())
    assert len(_copies(tmp_path)) == KEEP


def test_a_read_only_data_directory_still_answers(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(blocker))
    build = Builds()
    assert len(compiled([], build)) == len(load_corpus())
    compiled([], build)
    assert build.calls == 2
