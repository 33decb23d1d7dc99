"""What a notebook says about the files it wrote (the tables behind its figures)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from soslokal_lib.numformat import lang_key

__all__ = ["saved_text"]

_SAVED = {"nb": "Lagret {name}", "en": "Saved {name}"}


def saved_text(paths: Iterable[str | Path], lang: str = "nb") -> str:
    """«Lagret a.csv» (bokmål) or «Saved a.csv» (``lang="en"``) per written file, one per line;
    ``""`` when nothing was written (``save_tables`` without a ``data_dir``)."""
    word = _SAVED[lang_key(lang)]
    return "\n".join(word.format(name=Path(p).name) for p in paths)
