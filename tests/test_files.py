"""soslokal_lib._files: the one atomic writer."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from soslokal_lib._files import atomic_path, write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_str_is_written_as_utf8_and_bytes_as_they_are(tmp_path: Path):
    text = tmp_path / "a" / "b" / "rapport.html"  # missing folders are made
    assert write_atomic(text, "Fjordvik – bærekraft\n") == text
    assert text.read_bytes() == "Fjordvik – bærekraft\n".encode()
    raw = tmp_path / "tabell.csv"
    write_atomic(str(raw), "æ;1\r\n".encode("utf-8-sig"))
    assert raw.read_bytes() == b"\xef\xbb\xbf\xc3\xa6;1\r\n"
    write_atomic(raw, b"")
    assert raw.read_bytes() == b""
    with pytest.raises(TypeError, match="str or bytes"):
        write_atomic(raw, 12)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "tabell.csv"]


def test_new_file_gets_the_usual_mode_not_the_private_temp_mode(tmp_path: Path, umask_022):
    path = tmp_path / "x.txt"
    write_atomic(path, "x")
    assert oct(_mode(path)) == oct(0o644)
    with atomic_path(tmp_path / "y.xlsx") as tmp:
        tmp.write_bytes(b"y")
    assert oct(_mode(tmp_path / "y.xlsx")) == oct(0o644)
    os.umask(0o077)
    write_atomic(path, "z")
    assert oct(_mode(path)) == oct(0o600)


def test_failing_replace_keeps_the_old_file_and_leaves_no_temp_file(tmp_path: Path,
                                                                     monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_failing_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path: Path):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "half \udcff")  # a lone surrogate cannot be encoded
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_atomic_path_has_the_suffix_and_replaces_only_on_success(tmp_path: Path):
    target = tmp_path / "tabeller.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="writer failed"), atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".xlsx" and tmp != target
        tmp.write_bytes(b"half")
        raise RuntimeError("writer failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["tabeller.xlsx"]
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["tabeller.xlsx"]


def test_pandas_writer_through_atomic_path(tmp_path: Path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    target = tmp_path / "out.xlsx"
    with atomic_path(target) as tmp:
        pd.DataFrame({"a": [1, 2]}).to_excel(tmp, index=False)  # engine chosen by suffix
    assert pd.read_excel(target)["a"].tolist() == [1, 2]


def test_temp_file_of_write_atomic_is_hidden_and_ends_in_tmp(tmp_path: Path, monkeypatch):
    seen = []

    def spy(src, dst):
        seen.append(Path(src).name)
        raise OSError("stop")

    monkeypatch.setattr(os, "replace", spy)
    with pytest.raises(OSError, match="stop"):
        write_atomic(tmp_path / "cache.json", "{}")
    assert seen[0].startswith(".cache.json.") and seen[0].endswith(".tmp")
    assert list(tmp_path.iterdir()) == []
