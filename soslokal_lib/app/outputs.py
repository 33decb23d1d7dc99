"""What a report run leaves in its folder: its own files and the user's, nothing older.

Two reports in one folder give away small groups: a Bylab brief of «Storvåg sentrum» (70
answers) next to one of «Storvåg sentrum og Kvalholmen» (74) shows Kvalholmen's 4 people by
subtraction. So each run lists the files it wrote, with their SHA-256, in :data:`MANIFEST` in
the folder. :func:`start` (before anything is written) reads the previous list and notes what
the folder holds; :meth:`Run.finish` (after everything is written) lists the files this run
wrote (new or replaced since :func:`start`) and, when the run succeeded, removes the previous
run's files it did not write again. A failed run removes nothing and lists both.

Files in no list are the user's and are never removed. But a file named like the report's own
outputs (:data:`PATTERNS`) that no list names, e.g. from a run before the lists existed, stops
the run before it writes anything: it may be an old report's, and only the user can tell. A
listed file that is stale but was changed since it was written (edited by hand) is not removed
either; the run fails and names it. The action-log template (``tiltak.xlsx``) is made to be
filled in: once changed it is the user's. Files the config reads are never touched.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterable
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from soslokal_lib._files import write_atomic
from soslokal_lib._messages import msg, tr
from soslokal_lib.errors import SoslokalError

#: The list of files a run wrote, in the report folder.
MANIFEST = ".soslokal-filer.json"
#: Names of the report's own outputs (relative to the folder).
PATTERNS = ("[0-9][0-9]_*.html", "politisk_verksted.*", "bylab_*.html", "bylab_*.docx",
            "tiltak.html", "tabeller.xlsx", "data/*.csv", "data/*.xlsx", "executed/*.ipynb",
            "figurer/[0-9][0-9]_*.png", "figurer/[0-9][0-9]_*.svg")
#: Outputs the user fills in: once changed by hand, they are the user's.
FILLED_IN = frozenset({"tiltak.xlsx"})
_SHOWN = 12  # files named in a message


def _files(folder: Path) -> dict[str, os.stat_result]:
    """Every regular file below ``folder`` by relative POSIX path; hidden names are skipped
    (temporary files, the manifest, ``.git``)."""
    found = {}
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            path = Path(root, name)
            info = path.lstat()
            if stat.S_ISREG(info.st_mode):
                found[path.relative_to(folder).as_posix()] = info
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_output(rel: str) -> bool:
    return any(fnmatchcase(rel, pattern) for pattern in PATTERNS)


def _read_manifest(folder: Path) -> dict[str, str] | None:
    """The previous run's ``{relative path: sha256}``; ``None`` without a readable one. Paths
    that could leave the folder are dropped."""
    try:
        files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(files, dict):
        return None
    return {rel: str(digest) for rel, digest in files.items()
            if isinstance(rel, str) and _safe(rel)}


def _safe(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    return bool(parts) and not PurePosixPath(rel).is_absolute() and ".." not in parts \
        and "\\" not in rel and ":" not in rel


def input_files(config: object) -> set[Path]:
    """Every path the config names (survey, areas, action log, rounds …), resolved."""
    found: set[Path] = set()

    def visit(value: object) -> None:
        if isinstance(value, Path):
            found.add(value.resolve())
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                visit(getattr(value, f.name))
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)

    visit(config)
    return found


def _listed(rels: Iterable[str]) -> str:
    rels = sorted(rels)
    more = f" … (+{len(rels) - _SHOWN})" if len(rels) > _SHOWN else ""
    return ", ".join(rels[:_SHOWN]) + more


@dataclasses.dataclass
class Run:
    """A report run's view of its folder (made by :func:`start`)."""

    folder: Path
    previous: dict[str, str]
    before: dict[str, tuple[int, int, int]]
    inputs: set[Path]

    def _mine(self, rel: str) -> bool:
        return (self.folder / rel).resolve() not in self.inputs

    def wrote(self, path: Path) -> bool:
        """Whether this run wrote ``path`` (it is new or replaced since :func:`start`)."""
        rel = path.resolve().relative_to(self.folder.resolve()).as_posix()
        info = path.lstat()
        return _key(info) != self.before.get(rel)

    def finish(self, ok: bool, lang: str = "nb") -> list[str]:
        """List this run's files in :data:`MANIFEST`; when ``ok``, remove the previous run's
        files it did not write again (a notice on stderr) and return them. Raises
        :class:`SoslokalError` for stale files changed by hand (kept) and for files named like
        outputs that no run of this folder wrote."""
        now = _files(self.folder)
        fresh = {rel: _sha256(self.folder / rel) for rel, info in now.items()
                 if _key(info) != self.before.get(rel) and self._mine(rel)}
        stale = {rel: digest for rel, digest in self.previous.items()
                 if rel in now and rel not in fresh and self._mine(rel)}
        self._write({**stale, **fresh})  # nothing is forgotten if the removal fails
        if not ok:
            return []
        edited = {rel: d for rel, d in stale.items() if _sha256(self.folder / rel) != d}
        removed = sorted(set(stale) - set(edited))
        for rel in removed:
            (self.folder / rel).unlink()
            _prune(self.folder, (self.folder / rel).parent)
        kept = {rel: d for rel, d in edited.items() if rel not in FILLED_IN}
        self._write({**kept, **fresh})
        if removed:
            print(tr(msg("report.stale_removed", n=len(removed), files=_listed(removed)), lang),
                  file=sys.stderr)
        if kept:
            raise SoslokalError(msg("report.stale_edited", folder=self.folder,
                                    files=_listed(kept)))
        unknown = [rel for rel in _files(self.folder)
                   if _is_output(rel) and rel not in fresh and rel not in kept and self._mine(rel)]
        if unknown:  # the audit of the whole folder: nothing named like an output is older
            raise SoslokalError(msg("report.old_outputs", folder=self.folder,
                                    files=_listed(unknown)))
        return removed

    def _write(self, files: dict[str, str]) -> None:
        from soslokal_lib import __version__

        text = json.dumps({"soslokal": __version__, "files": dict(sorted(files.items()))},
                          ensure_ascii=False, indent=1)
        write_atomic(self.folder / MANIFEST, text + "\n")


def _key(info: os.stat_result) -> tuple[int, int, int]:
    return info.st_ino, info.st_mtime_ns, info.st_size


def _prune(folder: Path, parent: Path) -> None:
    """Remove ``parent`` and its parents up to (not including) ``folder`` while empty."""
    while parent != folder and folder in parent.parents:
        try:
            parent.rmdir()
        except OSError:  # not empty
            return
        parent = parent.parent


def start(folder: str | Path, inputs: Iterable[Path] = ()) -> Run:
    """Read ``folder``'s :data:`MANIFEST` and what it holds, before a run writes anything.

    Raises :class:`SoslokalError` (naming the files and the fix) when files named like the
    report's outputs are in no manifest. ``inputs``: files the config reads, never touched.
    """
    folder = Path(folder)
    previous = _read_manifest(folder) or {}
    now = _files(folder) if folder.is_dir() else {}
    run = Run(folder, previous, {rel: _key(info) for rel, info in now.items()},
              {Path(p).resolve() for p in inputs})
    unknown = [rel for rel in now if _is_output(rel) and rel not in previous and run._mine(rel)]
    if unknown:
        raise SoslokalError(msg("report.old_outputs", folder=folder, files=_listed(unknown)))
    return run
