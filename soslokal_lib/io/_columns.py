"""The table a reader returns — columns as codes into their distinct values — and the limits
the readers share (split from :mod:`soslokal_lib.io._table` to keep modules short)."""


from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from soslokal_lib.errors import Problem, SoslokalError, problems_error

_HEADER_SCAN_ROWS = 30
#: What ``str.strip()`` removes: every character Python counts as white space.
#: (``"".join(chr(c) for c in range(0x110000) if chr(c).isspace())``; tests/test_read_survey_fast.py)
_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
          "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_SAMPLE_ROWS = 20_000  # rows whose distinct values are looked up in the rest of a long column
_SAMPLE_VALUES = 200  # … when they are at most this many


class Column:
    """One column's cells as codes into its distinct values (in order of first appearance).

    Checks run on the distinct values (``uniques``) and are spread to the cells with
    ``codes``; a survey column repeats a handful of values, so that is one pass over the
    cells per check instead of one string operation per cell.
    """

    __slots__ = ("codes", "dictionary", "_uniques")

    def __init__(self, codes: np.ndarray, dictionary: pa.Array) -> None:
        self.codes = codes
        self.dictionary = dictionary
        self._uniques: np.ndarray | None = None

    @classmethod
    def encode(cls, array: pa.Array | pa.ChunkedArray) -> Column:
        """The cells of a string array, as they are (not stripped)."""
        if len(array) > 4 * _SAMPLE_ROWS:  # look the cells up among the first rows' values
            sample = pc.unique(array.slice(0, _SAMPLE_ROWS))
            if (len(sample) == _SAMPLE_ROWS and _strictly_increasing(array.slice(0, _SAMPLE_ROWS))
                    and _strictly_increasing(array)):
                flat = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
                return cls(np.arange(len(flat), dtype=np.int32), flat)  # ids: no two alike
            if len(sample) <= _SAMPLE_VALUES:
                found = pc.index_in(array, value_set=sample)
                if found.null_count == 0:  # no other values: the first rows' are in file order
                    codes = found.to_numpy() if isinstance(found, pa.Array) else np.concatenate(
                        [c.to_numpy(zero_copy_only=False) for c in found.chunks])
                    return cls(codes, sample)
        encoded = pc.dictionary_encode(array)
        if isinstance(encoded, pa.ChunkedArray):
            chunks = encoded.chunks
            if not chunks:
                return cls(np.zeros(0, np.int32), pa.array([], pa.string()))
            dictionary = chunks[-1].dictionary  # one dictionary for every chunk
            codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks])
        else:
            dictionary, codes = encoded.dictionary, encoded.indices.to_numpy(zero_copy_only=False)
        return cls(codes, dictionary)

    @classmethod
    def from_series(cls, text: pd.Series) -> Column:
        """A column of a frame of strings (the cells stripped, as :func:`via_uniques` does)."""
        values = via_uniques(text, lambda u: u.str.strip()).to_numpy(dtype=object)
        codes, uniques = pd.factorize(values)
        return cls(codes.astype(np.int32), pa.array(uniques, type=pa.string()))

    def stripped(self) -> Column:
        """The cells with white space around them removed (as ``str.strip``)."""
        trimmed = pc.utf8_trim(self.dictionary, characters=_SPACE)
        if trimmed.equals(self.dictionary):
            return self
        again = pc.dictionary_encode(trimmed)  # first appearance kept: the order is the same
        inner = again.indices.to_numpy(zero_copy_only=False)
        return Column(inner[self.codes], again.dictionary)

    @property
    def uniques(self) -> np.ndarray:
        """The distinct values as Python strings."""
        if self._uniques is None:
            self._uniques = self.dictionary.to_numpy(zero_copy_only=False)
        return self._uniques

    def __len__(self) -> int:
        return len(self.codes)

    def counts(self) -> np.ndarray:
        return np.bincount(self.codes, minlength=len(self.dictionary))

    def code_of(self, value: str) -> int | None:
        found = pc.index(self.dictionary, value).as_py()
        return None if found < 0 else found

    def values(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The cells (of ``rows``) as an object array of strings."""
        return self.uniques[self.codes if rows is None else self.codes[rows]]

    def arrow(self) -> pa.Array:
        if len(self.dictionary) == len(self.codes):  # all distinct, in file order: the cells
            return self.dictionary
        return self.dictionary.take(pa.array(self.codes))

    def series(self) -> pd.Series:
        return pd.Series(self.values(), dtype=str)

    def take(self, rows: np.ndarray) -> Column:
        """The cells of ``rows`` (positions or a boolean mask), values renumbered."""
        codes, used = pd.factorize(self.codes[rows])
        return Column(codes.astype(np.int32), self.dictionary.take(pa.array(used)))


def _strictly_increasing(array: pa.Array | pa.ChunkedArray) -> bool:
    """Whether every cell sorts after the one above it, as text or as numbers written without
    leading zeros (shorter first): then no two cells are alike, found without hashing them."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.null_count:
        return False
    before, after = array[:-1], array[1:]
    if pc.all(pc.greater(after, before)).as_py():
        return True
    length = pc.binary_length(array)
    longer = pc.greater(length[1:], length[:-1])
    same = pc.equal(length[1:], length[:-1])
    return bool(pc.all(pc.or_(longer, pc.and_(same, pc.greater(after, before)))).as_py())


@dataclass
class Table:
    """A file read as strings: ``header`` as written, ``columns`` 0..n-1 (:class:`Column`)."""

    header: list[str]
    columns: list[Column]
    rows: np.ndarray
    header_row: int = 1
    meta: dict[str, Any] = field(default_factory=dict)
    digest: Future[str] | None = None  # the file's sha256, being computed

    def finished_meta(self) -> dict[str, Any]:
        """``meta`` with ``sha256`` filled in (waits for the hash if it is still running)."""
        if self.digest is None:
            return self.meta
        return {**self.meta, "sha256": self.digest.result()}

    @property
    def data(self) -> pd.DataFrame:
        """The cells as a frame of strings (columns 0..n-1)."""
        return pd.DataFrame({i: c.series() for i, c in enumerate(self.columns)})


def via_uniques(text: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorised string function to the distinct values of ``text`` only.

    Survey columns repeat a handful of values (scores, areas), so this is much faster than
    running the function over every cell.
    """
    codes, uniques = pd.factorize(text)
    result = func(pd.Series(uniques, dtype=str))
    return pd.Series(result.to_numpy()[codes], index=text.index, dtype=result.dtype)


def _columns(data: pd.DataFrame) -> list[Column]:
    return [Column.from_series(data[i]) for i in data.columns]


def _fail(error: type[SoslokalError], path: Path, message: str, fix: str, fix_config: str,
          row: int | None = None) -> SoslokalError:
    """``error`` for one problem, its fix worded for both audiences (to ``raise``)."""
    return problems_error(error, path, [Problem(message, row=row, fix=fix,
                                                fix_config=fix_config)])
