"""The ``soslokal`` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import SoslokalError


def _report(args: argparse.Namespace) -> int:
    from .report import run_notebooks

    notebooks = [Path(p) for p in args.notebook] or None
    written = run_notebooks(args.out, notebooks, progress=not args.quiet)
    for path in written:
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soslokal",
        description="Stedskompasset og sosioøkonomiske data: ulikhet mellom nabolag.",
    )
    parser.add_argument("--version", action="version", version=f"soslokal {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="run the notebooks and write HTML with code hidden")
    rep.add_argument("--out", default="build", help="output folder (default: build)")
    rep.add_argument("--notebook", action="append", default=[],
                     help="run only this notebook (may be repeated)")
    rep.add_argument("--quiet", action="store_true", help="no progress bar")
    rep.set_defaults(func=_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SoslokalError as exc:
        print(f"soslokal: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
