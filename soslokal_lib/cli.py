"""The ``soslokal`` command line: ``init``, ``check`` and ``report``.

Exit codes: 0 all well; 1 the inputs have problems (unreadable data, unmatched area names, a
failing notebook); 2 the config itself is broken or missing (and command-line usage errors).
Errors are printed as one clear message, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import ConfigError, SoslokalError


def _init(args: argparse.Namespace) -> int:
    from .config import write_template

    path = write_template(args.dir, force=args.force)
    print(f"Skrev {path}")
    print(f"Fyll inn stiene, og sjekk oppsettet med:  soslokal check {path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .check import check_inputs
    from .config import load_config

    config = load_config(args.config)
    result = check_inputs(config)
    plan = _plan(result) if result.ok else []
    for line in _describe(result) + plan:
        print(line)
    if result.ok:
        print(f"\nOK: klar for  soslokal report {config.path} --out rapport")
        return 0
    print(f"\nsoslokal: {len(result.problems)} problem(er) må rettes (se over).", file=sys.stderr)
    return 1


def _describe(result) -> list[str]:
    config = result.config
    number = f" ({config.kommune_number})" if config.kommune_number else ""
    lines = [f"Oppsett:        {config.path}", f"Kommune:        {config.kommune}{number}",
             f"Undersøkelse:   {config.survey_path}"]
    if result.columns:
        lines.append(f"  {result.n_respondents} svar. Kolonner (overskrift → navn):")
        lines += [f"    {header!r} → {name if name else '(ikke lest)'}"
                  for header, name in result.columns.items()]
    if config.areas_path:
        lines.append(f"Områder:        {config.areas_path}")
    if result.per_area is not None:
        lines.append(f"  {result.n_areas} områder (kode, navn, antall svar):")
        lines += [f"    {row.area_id:<10} {row.area_name:<24} {row.n:>6}"
                  for row in result.per_area.itertuples(index=False)]
    if result.unmatched is not None:
        lines.append("  Områdesvar som ikke finnes i grensefila (svar, antall, forslag):")
        lines += [f"    {row.value!r:<26} {row.n:>6}   {row.suggestion or '–'}"
                  for row in result.unmatched.itertuples(index=False)]
    lines.append(f"Personvern:     min_n = {config.min_n} (færre svar: ingen tall eller sitater)")
    lines.append(f"Grunnkretstall: {config.socio_path or 'ingen levekårstabell ([socio] path)'}")
    tables = ", ".join(f"{k} ({v.name})" for k, v in config.ssb_tables.items()) or "ingen"
    lines.append(f"SSB:            {'på nett' if config.online else 'uten nett'}; "
                 f"lokale tabeller: {tables}")
    for sheet in config.levekar:
        lines.append(f"Levekår:        {sheet.path}")
    if config.weights:
        lines.append(f"Vekting:        {config.weights.method} mot {config.weights.population} "
                     f"({', '.join(config.weights.variables)})")
    lines.append(f"Rapport:        språk {config.lang}, konfidensnivå {config.confidence:g}")
    if result.notes:
        lines.append("Merknader:")
        lines += [f"  - {note}" for note in result.notes]
    if result.problems:
        lines.append("Problemer:")
        lines += [f"  - {problem}" for problem in result.problems]
    return lines


def _plan(result) -> list[str]:
    """Lines saying which notebooks the report will run and which it skips, and why; a bad
    socio file becomes a problem of ``result``."""
    from .io.inputs import load_inputs, load_socio_tables
    from .report import VERKSTED_NAME, plan_notebooks

    config = result.config
    inputs = load_inputs(**config.input_options())
    lines = []
    if config.socio_path is not None:
        try:
            tables = load_socio_tables(inputs, socio_path=config.socio_path,
                                       grunnkrets_path=config.grunnkrets_path)
        except (SoslokalError, OSError) as exc:
            result.problems.append(f"socio: {exc}")
            return []
        kind = "med grunnkretsgrenser" if tables.has_geometry else "uten grunnkretsgrenser"
        lines.append(f"Levekårstabell: {len(tables.socio)} grunnkretser ({kind}); kolonner: "
                     f"{', '.join(tables.socio.columns)}")
    run, skipped = plan_notebooks(config, inputs, config.notebooks or None)
    lines.append("Notatbøker:")
    lines += [f"  kjøres:        {path.name}" for path in run]
    lines += [f"  hoppes over:   {path.name} – {reason}" for path, reason in skipped]
    lines.append(f"  og det politiske verkstedet: {VERKSTED_NAME}")
    return lines


def _report(args: argparse.Namespace) -> int:
    from .config import load_config
    from .report import DEFAULT_CONFIG, NOTEBOOK_DIR, make_report

    config = load_config(args.config or DEFAULT_CONFIG)
    notebooks = []
    for name in args.notebook:
        path = Path(name)
        if not path.is_file() and (NOTEBOOK_DIR / name).is_file():
            path = NOTEBOOK_DIR / name
        if not path.is_file():
            shipped = ", ".join(sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")))
            raise ConfigError(f"--notebook {name}: not found. Fix: give a path, or one of "
                              f"{shipped}.")
        notebooks.append(path)
    if not args.quiet:
        print(f"Lager rapporten for {config.kommune} fra {config.path} …", file=sys.stderr)
    written = make_report(config, args.out, notebooks or None, progress=not args.quiet,
                          timeout=args.timeout)
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

    ini = sub.add_parser("init", help="write a commented template config (soslokal.toml)")
    ini.add_argument("dir", nargs="?", default=".", help="folder to write to (default: .)")
    ini.add_argument("--force", action="store_true", help="overwrite an existing soslokal.toml")
    ini.set_defaults(func=_init)

    chk = sub.add_parser("check", help="validate a config and every input it names")
    chk.add_argument("config", help="the municipality's TOML config")
    chk.set_defaults(func=_check)

    rep = sub.add_parser("report", help="run the notebooks and write HTML and CSV tables")
    rep.add_argument("config", nargs="?", default=None,
                     help="the municipality's TOML config (default: configs/fjordvik.toml, "
                          "the synthetic sample)")
    rep.add_argument("--out", default="build", help="output folder (default: build)")
    rep.add_argument("--notebook", action="append", default=[],
                     help="run only this notebook (a path or a name in notebooks/; repeatable)")
    rep.add_argument("--timeout", type=int, default=600, help="seconds per notebook cell")
    rep.add_argument("--quiet", action="store_true", help="no progress bar")
    rep.set_defaults(func=_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"soslokal: {exc}", file=sys.stderr)
        return 2
    except SoslokalError as exc:
        print(f"soslokal: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"soslokal: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("soslokal: stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
