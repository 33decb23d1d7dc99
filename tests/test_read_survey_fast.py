"""The vectorised ``read_survey`` gives what the per-cell reader before it gave, on every case.

The reference results were recorded with the earlier implementation (see tests/_survey_cases.py):
responses, dont_know and comments, ``meta`` (counts, changes, rows, mapping), warnings, and
for a bad file the error's message and every problem (message, fixes in both wordings, value).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from tests._survey_cases import EXPECTED, FIXTURES, SEEDS, generated, outcome


def _expected(name: str) -> dict:
    result = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    for key in ("frame", "comments"):
        file = EXPECTED / f"{name}.{key}.parquet"
        if file.exists():
            result[key] = pd.read_parquet(file)
    return result


def _check(name: str, path, kwargs) -> None:
    got, want = outcome(path, kwargs), _expected(name)
    assert got.keys() == want.keys()
    for key in ("frame", "comments"):
        if key in want:
            pd.testing.assert_frame_equal(got[key], want[key], check_exact=True)
    if name.startswith("case") and path.suffix == ".xlsx" and "meta" in want:  # time saved
        got["meta"].pop("sha256")
        want["meta"].pop("sha256")
    for key in ("meta", "error", "problems", "partial", "warnings"):
        if key in want:
            assert json.loads(json.dumps(got[key], default=str)) == want[key], key


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_files_read_as_before(name):
    path, kwargs = FIXTURES[name]
    _check(name, path, kwargs)


@pytest.mark.parametrize("seed", list(SEEDS))
def test_generated_files_with_bad_cells_read_as_before(seed, tmp_path):
    path, kwargs = generated(seed, tmp_path)
    _check(f"case{seed}", path, kwargs)


def test_white_space_stripped_is_what_str_strip_removes():
    from soslokal_lib.io._columns import _SPACE

    assert _SPACE == "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


@pytest.mark.parametrize("seed", list(SEEDS)[::3])
def test_long_file_paths_read_as_before(seed, tmp_path, monkeypatch):
    """The shortcuts a long file takes (its header sniffed from the first 64 KiB only, a
    column's cells looked up among the values of its first rows), forced on small files."""
    from soslokal_lib.io import _columns, _table

    monkeypatch.setattr(_table, "_PREFIX_BYTES", 300)
    monkeypatch.setattr(_table, "_MAP_BYTES", 0)  # memory-mapped, as a file of 16 MiB is
    monkeypatch.setattr(_columns, "_SAMPLE_ROWS", 2)
    path, kwargs = generated(seed, tmp_path)
    _check(f"case{seed}", path, kwargs)


def _mapped(path: Path, wait: float = 0.0) -> bool:
    """Whether ``path`` is still memory-mapped by this process (after up to ``wait`` s)."""
    import time

    deadline = time.monotonic() + wait
    while True:
        if str(path) not in Path("/proc/self/maps").read_text():
            return False
        if time.monotonic() >= deadline:
            return True
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads Linux's /proc")
def test_a_mapped_file_is_let_go_once_read(tmp_path, monkeypatch):
    """A large CSV file is memory-mapped; once read (and hashed) no mapping of it is left, so
    that the survey tool can write the file again while the survey is in memory — also when
    reading failed and the error is kept (as a notebook keeps the last one), whether it came
    from the table (a row in one cell) or from the cells (a score of 9)."""
    import gc
    import hashlib

    from soslokal_lib import SurveyFormatError, read_survey
    from soslokal_lib.io import _columns, _table

    monkeypatch.setattr(_table, "_MAP_BYTES", 0)
    monkeypatch.setattr(_columns, "_SAMPLE_ROWS", 50)  # the ids' sorted path and sampled lookups
    path, kwargs = FIXTURES["sample_csv"]
    text = path.read_text(encoding="utf-8")
    copy = tmp_path / "kopi.csv"
    copy.write_text(text, encoding="utf-8")
    with pytest.warns(UserWarning):
        survey = read_survey(copy, **kwargs)
    gc.collect()
    assert survey.meta["sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert len(survey.responses) > 4 * 50 and not _mapped(copy)
    lines = text.splitlines(keepends=True)
    for name, bad in (("en_celle.csv", lines[:300] + ["R9999,a,b,c\n"] + lines[300:]),
                      ("skaar_9.csv", lines[:300] + [";".join(
                          [*lines[300].split(";")[:5], "9", *lines[300].split(";")[6:]])]
                       + lines[301:])):
        target = tmp_path / name
        target.write_text("".join(bad), encoding="utf-8")
        with pytest.raises(SurveyFormatError) as kept, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            read_survey(target, **kwargs)
        assert "row 301" in str(kept.value), str(kept.value)[:300]
        assert not _mapped(target, wait=5.0), name


_GOOD = sorted([n for n in FIXTURES if (EXPECTED / f"{n}.frame.parquet").exists()]
               + [s for s in SEEDS if (EXPECTED / f"case{s}.frame.parquet").exists()], key=str)


@pytest.mark.parametrize("case", _GOOD)
def test_reader_frames_are_what_the_survey_checks_give(case, tmp_path):
    """``read_survey`` skips the constructor's second pass: its frames must already be what
    ``Survey(...)`` makes of them (index, dtypes, column order, values), on every recorded
    file that reads (the fixtures and the generated cases)."""
    import warnings

    from soslokal_lib import Survey, read_survey

    path, kwargs = FIXTURES[case] if case in FIXTURES else generated(case, tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = read_survey(path, **kwargs)
    checked = Survey(read.responses, read.comments, read.meta, dont_know=read.dont_know)
    for key in ("responses", "dont_know", "comments"):
        pd.testing.assert_frame_equal(getattr(read, key), getattr(checked, key),
                                      check_exact=True)
    assert read.meta == checked.meta
