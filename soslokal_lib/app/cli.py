"""The ``soslokal`` command line: ``init``, ``check``, ``report`` and ``dashboard``.

The command speaks bokmål; ``--lang en`` (before or after the command) makes it speak English,
help and errors included. The library's error and note texts come from its catalogue
(:mod:`soslokal_lib._messages`) in both languages and are rendered here with
``SoslokalError.describe(lang)``; a text not in the catalogue stays English inside the
command's frame («Løsning:», «rad», «… og 2 til»).

Exit codes: 0 all well; 1 the inputs have problems (unreadable data, unmatched area names, a
failing notebook); 2 the config itself is broken or missing (and command-line usage errors).
Errors are printed as one clear message, never as a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from soslokal_lib import __version__
from soslokal_lib._messages import Text, tr
from soslokal_lib.errors import ConfigError, SoslokalError

#: Every sentence the command says, by language.
MESSAGES: dict[str, dict[str, str]] = {
    "nb": {
        "description": "Stedskompasset og sosioøkonomiske data: ulikhet mellom nabolag.",
        "lang_help": "språk: nb (bokmål, standard) eller en (engelsk)",
        "init_help": "skriv en mal for oppsettet (soslokal.toml) med forklaringer",
        "init_dir": "mappen malen skrives til (standard: .)",
        "init_force": "skriv over en soslokal.toml som finnes",
        "check_help": "sjekk oppsettet og alle filene det peker på",
        "config_help": "kommunens oppsett (TOML)",
        "report_help": "kjør notatbøkene og skriv HTML, tabeller (CSV og tabeller.xlsx)",
        "report_config": "kommunens oppsett (TOML); uten det lages rapporten for "
                         "eksempelkommunen (syntetiske data)",
        "out_help": "mappen rapporten skrives til (standard: build)",
        "notebook_help": "kjør bare denne notatboken (sti eller navn i notebooks/; kan gjentas)",
        "timeout_help": "sekunder per celle i notatbøkene",
        "quiet_help": "ingen fremdriftsindikator",
        "dashboard_help": "åpne utforskeren (Voilà-dashbord) på kommunens data",
        "dashboard_config": "kommunens oppsett (TOML); uten det vises eksempelkommunen",
        "port_help": "porten på 127.0.0.1 (standard: 8866)",
        "no_browser_help": "ikke åpne nettleseren",
        "wrote": "Skrev {path}",
        "fill_in": "Fyll inn stiene, og sjekk oppsettet med:  {prog} check {path}",
        "ok": "OK: klar for  {prog} report {path} --out rapport",
        "problems": "soslokal: {n} problem(er) må rettes (se over).",
        "making": "Lager rapporten for {kommune} fra {path} …",
        "sample": "Ingen oppsettfil oppgitt: lager rapporten for eksempelkommunen Fjordvik, som er "
                  "oppdiktet (syntetiske data, {path}). For din egen kommune: kjør  {prog} "
                  "init, fyll inn soslokal.toml og kjør  {prog} report soslokal.toml",
        "dashboard_sample": "Ingen oppsettfil oppgitt: utforskeren viser eksempelkommunen "
                            "Fjordvik (syntetiske data).",
        "dashboard_start": "Starter utforskeren for {kommune} på http://127.0.0.1:{port}/ "
                           "(Ctrl+C stopper den) …",
        "no_notebook": "--notebook {name}: finnes ikke. Løsning: gi en sti, eller et av "
                       "{shipped}.",
        "stopped": "soslokal: stoppet",
        "usage_error": "soslokal: feil i kommandoen: {message}. Se  soslokal --help",
        "config_line": "Oppsett:        {value}",
        "kommune_line": "Kommune:        {value}",
        "survey_line": "Undersøkelse:   {value}",
        "columns_line": "  {n} svar. Kolonner (overskrift → navn):",
        "not_read": "(ikke lest)",
        "areas_line": "Områder:        {value}",
        "areas_count": "  {n} områder (kode, navn, antall svar):",
        "unmatched": "  Områdesvar som ikke finnes i grensefila (svar, antall, forslag):",
        "privacy_line": "Personvern:     min_n = {min_n} (færre svar: ingen tall eller sitater)",
        "socio_line": "Grunnkretstall: {value}",
        "no_socio": "ingen levekårstabell ([socio] path)",
        "ssb_line": "SSB:            {online}; lokale tabeller: {tables}",
        "online": "på nett", "offline": "uten nett", "none": "ingen",
        "levekar_line": "Levekår:        {value}",
        "weights_line": "Vekting:        {method} mot {population} ({variables})",
        "report_line": "Rapport:        språk {lang}, konfidensnivå {confidence:g}",
        "notes": "Merknader:", "problems_title": "Problemer:",
        "socio_table": "Levekårstabell: {n} grunnkretser ({kind}); kolonner: {columns}",
        "with_geometry": "med grunnkretsgrenser", "without_geometry": "uten grunnkretsgrenser",
        "notebooks": "Notatbøker:", "runs": "  kjøres:        {name}",
        "skips": "  hoppes over:   {name} – {reason}",
        "verksted": "  og det politiske verkstedet: {name}",
    },
    "en": {
        "description": "Place Standard and socioeconomic data: inequality between "
                       "neighbourhoods.",
        "lang_help": "language: nb (Norwegian bokmål, default) or en (English)",
        "init_help": "write a commented template config (soslokal.toml)",
        "init_dir": "folder to write to (default: .)",
        "init_force": "overwrite an existing soslokal.toml",
        "check_help": "validate a config and every input it names",
        "config_help": "the municipality's TOML config",
        "report_help": "run the notebooks and write HTML and tables (CSV and tabeller.xlsx)",
        "report_config": "the municipality's TOML config; without it, the report is made for "
                         "the sample municipality (synthetic data)",
        "out_help": "output folder (default: build)",
        "notebook_help": "run only this notebook (a path or a name in notebooks/; repeatable)",
        "timeout_help": "seconds per notebook cell",
        "quiet_help": "no progress bar",
        "dashboard_help": "open the explorer (Voilà dashboard) on the municipality's data",
        "dashboard_config": "the municipality's TOML config; without it, the sample is shown",
        "port_help": "port on 127.0.0.1 (default: 8866)",
        "no_browser_help": "do not open a browser",
        "wrote": "Wrote {path}",
        "fill_in": "Fill in the paths, then check the config with:  {prog} check {path}",
        "ok": "OK: ready for  {prog} report {path} --out report",
        "problems": "soslokal: {n} problem(s) to fix (see above).",
        "making": "Making the report for {kommune} from {path} …",
        "sample": "No config file given: making the report for the sample municipality "
                  "Fjordvik, which is fictional (synthetic data, {path}). For your own "
                  "municipality: run  {prog} init, fill in soslokal.toml and run  {prog} "
                  "report soslokal.toml",
        "dashboard_sample": "No config file given: the explorer shows the sample municipality "
                            "Fjordvik (synthetic data).",
        "dashboard_start": "Starting the explorer for {kommune} at http://127.0.0.1:{port}/ "
                           "(Ctrl+C stops it) …",
        "no_notebook": "--notebook {name}: not found. Fix: give a path, or one of {shipped}.",
        "stopped": "soslokal: stopped",
        "usage_error": "soslokal: bad command: {message}. See  soslokal --help",
        "config_line": "Config:         {value}",
        "kommune_line": "Municipality:   {value}",
        "survey_line": "Survey:         {value}",
        "columns_line": "  {n} responses. Columns (header → name):",
        "not_read": "(not read)",
        "areas_line": "Areas:          {value}",
        "areas_count": "  {n} areas (code, name, responses):",
        "unmatched": "  Area answers not in the boundary file (answer, count, suggestion):",
        "privacy_line": "Privacy:        min_n = {min_n} (fewer responses: no figures or quotes)",
        "socio_line": "Register data:  {value}",
        "no_socio": "no table of living conditions ([socio] path)",
        "ssb_line": "SSB:            {online}; local tables: {tables}",
        "online": "online", "offline": "offline", "none": "none",
        "levekar_line": "Levekår:        {value}",
        "weights_line": "Weighting:      {method} to {population} ({variables})",
        "report_line": "Report:         language {lang}, confidence level {confidence:g}",
        "notes": "Notes:", "problems_title": "Problems:",
        "socio_table": "Register table: {n} grunnkretser ({kind}); columns: {columns}",
        "with_geometry": "with boundaries", "without_geometry": "without boundaries",
        "notebooks": "Notebooks:", "runs": "  runs:          {name}",
        "skips": "  skipped:       {name} – {reason}",
        "verksted": "  and the policy workshop: {name}",
    },
}
#: The library's English frame words and their bokmål, for error messages.
_FRAME_NB = ((r"\. Fix: ", ". Løsning: "), (r"\bFix: ", "Løsning: "),
             (r" … and (\d+) more", r" … og \1 til"), (r"\brow (\d+)", r"rad \1"),
             (r"\bcolumn '", "kolonne '"), (r"\(value ", "(verdi "))
_USAGE_NB = ((r"the following arguments are required: ", "disse argumentene mangler: "),
             (r"unrecognized arguments: ", "ukjente argumenter: "),
             (r"argument command: ", "kommando: "), (r"invalid choice: ", "ugyldig valg: "),
             (r"\(choose from ", "(velg blant "),
             (r"argument (\S+): expected one argument", r"\1 mangler en verdi"),
             (r"invalid int value: ", "ikke et heltall: "))


def _say(language: str, key: str, **fields: object) -> str:
    return MESSAGES["en" if language == "en" else "nb"][key].format(**fields)


def localise_error(message: object, lang: str) -> str:
    """A library text in the command's language: a catalogue :class:`Text` rendered in ``lang``;
    other (English) text in the language's frame (bokmål: «Løsning:», «rad 4»)."""
    if isinstance(message, Text) or lang == "en":
        return tr(message, lang)
    for pattern, repl in _FRAME_NB:
        message = re.sub(pattern, repl, message)
    return message


def _error_text(exc: SoslokalError, lang: str) -> str:
    """``exc`` in ``lang``: from the catalogue, or its English text in the language's frame."""
    problems = getattr(exc, "problems", None) or []
    if len(problems) > 1:  # every one, as `soslokal check` lists them, not «… og 1 til»
        from soslokal_lib._messages import msg

        lines = exc.describe_all(config=True, lang=lang)
        return tr(msg("cli.problems", n=len(lines)), lang) + "".join(f"\n  - {line}"
                                                                     for line in lines)
    if problems or (exc.args and isinstance(exc.args[0], Text)):
        return exc.describe(lang, config=True)
    return localise_error(str(exc), lang)


def _warning_text(warning: Warning | str, lang: str) -> str:
    """A library warning as one line in ``lang``, its fix worded for the config file."""
    from soslokal_lib.errors import ProblemWarning

    if isinstance(warning, ProblemWarning):
        return warning.describe(config=True, lang=lang)
    text = warning.args[0] if isinstance(warning, Warning) and warning.args else warning
    return localise_error(text, lang)


def _socio_problem(exc: Exception) -> Text:
    from soslokal_lib._messages import lazy

    if isinstance(exc, SoslokalError):
        return lazy(lambda lang: f"socio: {_error_text(exc, lang)}")
    from soslokal_lib.app.check import _os_error

    return lazy(lambda lang: f"socio: {tr(_os_error(exc), lang)}")


def _init(args: argparse.Namespace) -> int:
    from soslokal_lib.app.config import write_template

    path = write_template(args.dir, force=args.force)
    print(_say(args.lang, "wrote", path=path))
    print(_say(args.lang, "fill_in", path=path, prog=_prog()))
    return 0


def _check(args: argparse.Namespace) -> int:
    from soslokal_lib.app.check import check_inputs
    from soslokal_lib.app.config import load_config

    config = load_config(args.config)
    result = check_inputs(config)
    plan = []
    if result.ok:  # the plan reads the files again: a warning already noted is not repeated
        import warnings

        from soslokal_lib.app.check import noted

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            plan = _plan(result, args.lang)
        for w in caught:
            if not noted(result, w):
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    for line in _describe(result, args.lang) + plan:
        print(localise_error(line, args.lang))
    if result.ok:
        print("\n" + _say(args.lang, "ok", path=config.path, prog=_prog()))
        return 0
    print("\n" + _say(args.lang, "problems", n=len(result.problems)), file=sys.stderr)
    return 1


def _describe(result, lang: str) -> list[str]:
    config = result.config
    say = lambda key, **f: _say(lang, key, **f)  # noqa: E731
    number = f" ({config.kommune_number})" if config.kommune_number else ""
    lines = [say("config_line", value=config.path),
             say("kommune_line", value=f"{config.kommune}{number}"),
             say("survey_line", value=config.survey_path)]
    if result.columns:
        lines.append(say("columns_line", n=result.n_respondents))
        lines += [f"    {header!r} → {name if name else say('not_read')}"
                  for header, name in result.columns.items()]
    if config.areas_path:
        lines.append(say("areas_line", value=config.areas_path))
    if result.per_area is not None:
        lines.append(say("areas_count", n=result.n_areas))
        wide = max([10, *(len(str(a)) + 1 for a in result.per_area["area_id"])])
        lines += [f"    {row.area_id:<{wide}} {row.area_name:<24} {row.n:>6}"
                  for row in result.per_area.itertuples(index=False)]
    if result.unmatched is not None:
        lines.append(say("unmatched"))
        lines += [f"    {row.value!r:<26} {row.n:>6}   {row.suggestion or '–'}"
                  for row in result.unmatched.itertuples(index=False)]
    lines.append(say("privacy_line", min_n=config.min_n))
    if result.hidden is not None:
        lines += ["  " + line for line in result.hidden.lines(lang, config.path.name)]
    lines.append(say("socio_line", value=config.socio_path or say("no_socio")))
    tables = ", ".join(f"{k} ({v.name})" for k, v in config.ssb_tables.items()) or say("none")
    lines.append(say("ssb_line", online=say("online" if config.online else "offline"),
                     tables=tables))
    for sheet in config.levekar:
        lines.append(say("levekar_line", value=sheet.path))
        lines += [f"    {label!r} → {_indicator_text(what, lang)}"
                  for label, what in result.levekar.get(sheet.path.name, {}).items()]
    if config.weights:
        lines.append(say("weights_line", method=config.weights.method,
                         population=config.weights.population,
                         variables=", ".join(config.weights.variables)))
    lines.append(say("report_line", lang=config.lang, confidence=config.confidence))
    if result.notes:
        lines.append(say("notes"))
        lines += [f"  - {localise_error(note, lang)}" for note in result.notes]
    if result.problems:
        lines.append(say("problems_title"))
        lines += [f"  - {localise_error(problem, lang)}" for problem in result.problems]
    return lines


def _indicator_text(what: str, lang: str) -> str:
    """«persistent_low_income (Vedvarende lavinntekt)»: an indicator id and its name."""
    from soslokal_lib.indicator_registry import REGISTRY

    found = next((i for i in REGISTRY if i.id == what), None)
    if found is None:
        return what
    return f"{what} ({found.name_nb if lang == 'nb' else found.name_en})"


def _plan(result, lang: str) -> list[str]:
    """Lines saying which notebooks the report will run and which it skips, and why; a bad
    socio file becomes a problem of ``result``."""
    from soslokal_lib.app.config_socio import socio_options
    from soslokal_lib.app.report import VERKSTED_NAME, config_inputs, plan_notebooks, skip_reason
    from soslokal_lib.io.inputs import load_socio_tables

    config = result.config
    inputs = config_inputs(config)
    lines = []
    if config.socio_path is not None:
        try:
            tables = load_socio_tables(inputs, **socio_options(config))
        except (SoslokalError, OSError) as exc:
            result.problems.append(_socio_problem(exc))
            return []
        kind = _say(lang, "with_geometry" if tables.has_geometry else "without_geometry")
        lines.append(_say(lang, "socio_table", n=len(tables.socio), kind=kind,
                          columns=", ".join(tables.socio.columns)))
        if tables.zones is not None:  # split, outside every zone, zones without grunnkretser
            lines.append(tables.zone_text(lang))
    run, skipped = plan_notebooks(config, inputs, config.notebooks or None)
    lines.append(_say(lang, "notebooks"))
    lines += [_say(lang, "runs", name=path.name) for path in run]
    lines += [_say(lang, "skips", name=path.name, reason=skip_reason(reason, lang))
              for path, reason in skipped]
    lines.append(_say(lang, "verksted", name=VERKSTED_NAME))
    return lines


def _report(args: argparse.Namespace) -> int:
    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import DEFAULT_CONFIG, NOTEBOOK_DIR, make_report

    if args.config is None:
        print(_say(args.lang, "sample", path=_shown(DEFAULT_CONFIG), prog=_prog()), file=sys.stderr)
    config = load_config(args.config or DEFAULT_CONFIG)
    notebooks = []
    for name in args.notebook:
        path = Path(name)
        for shipped_name in (name, f"{name}.ipynb"):  # «01_stedskompasset» names it too
            if not path.is_file() and (NOTEBOOK_DIR / shipped_name).is_file():
                path = NOTEBOOK_DIR / shipped_name
        if not path.is_file():
            shipped = ", ".join(sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")))
            raise ConfigError(_say(args.lang, "no_notebook", name=name, shipped=shipped))
        notebooks.append(path)
    if not args.quiet:
        print(_say(args.lang, "making", kommune=config.kommune, path=config.path),
              file=sys.stderr)
    written = make_report(config, args.out, notebooks or None, progress=not args.quiet,
                          timeout=args.timeout, ui_lang=args.lang)
    for path in written:
        print(path)
    return 0


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _dashboard(args: argparse.Namespace) -> int:
    import tempfile

    from soslokal_lib.app.config import load_config
    from soslokal_lib.app.report import config_inputs

    kommune = "Fjordvik"
    config_path = None
    if args.config is None:
        print(_say(args.lang, "dashboard_sample"), file=sys.stderr)
    else:
        config = load_config(args.config)
        config_inputs(config)  # unreadable inputs fail here, with the library's message
        kommune, config_path = config.kommune, config.path
    with tempfile.TemporaryDirectory(prefix="soslokal-dashboard-") as folder:
        notebook = dashboard_notebook(Path(folder), config_path)
        command = [sys.executable, "-m", "voila", str(notebook), "--Voila.ip=127.0.0.1",
                   f"--port={args.port}"]
        if args.no_browser:
            command.append("--no-browser")
        print(_say(args.lang, "dashboard_start", kommune=kommune, port=args.port),
              file=sys.stderr)
        return run_until_stopped(command)


def run_until_stopped(command: list[str]) -> int:
    """Run ``command`` and return its exit code; when this process is stopped (Ctrl+C or
    SIGTERM, e.g. ``kill``) the child is stopped too, so no server is left holding the port."""
    import signal
    import subprocess

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    child = subprocess.Popen(command)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return child.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        if child.poll() is None:
            child.terminate()  # Voilà shuts its kernels down on SIGTERM
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def dashboard_notebook(folder: Path, config_path: Path | None) -> Path:
    """A copy of ``dashboard/utforsker.ipynb`` in ``folder`` with ``config_path`` set in its
    parameters (the shipped file is never changed). Returns its path."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from soslokal_lib.app.report import DASHBOARD

    nb = load_notebook_node(str(DASHBOARD))
    if config_path is not None:
        nb = parameterize_notebook(nb, {"config_path": str(config_path)}, kernel_name="python3",
                                   language="python")
    target = Path(folder) / DASHBOARD.name
    nbformat.write(nb, target)
    return target


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors in the command's language, as exit code 2."""

    lang = "nb"

    def error(self, message: str) -> None:  # noqa: D102
        if self.lang != "en":
            for pattern, repl in _USAGE_NB:
                message = re.sub(pattern, repl, message)
        self.exit(2, _say(self.lang, "usage_error", message=message) + "\n")


def build_parser(lang: str = "nb") -> argparse.ArgumentParser:
    say = lambda key: _say(lang, key)  # noqa: E731
    _Parser.lang = lang
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=("nb", "en"), default=argparse.SUPPRESS,
                        help=say("lang_help"))
    parser = _Parser(prog="soslokal", description=say("description"), parents=[common])
    parser.set_defaults(lang=lang)
    parser.add_argument("--version", action="version", version=f"soslokal {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    ini = sub.add_parser("init", help=say("init_help"), parents=[common])
    ini.add_argument("dir", nargs="?", default=".", help=say("init_dir"))
    ini.add_argument("--force", action="store_true", help=say("init_force"))
    ini.set_defaults(func=_init)

    chk = sub.add_parser("check", help=say("check_help"), parents=[common])
    chk.add_argument("config", help=say("config_help"))
    chk.set_defaults(func=_check)

    rep = sub.add_parser("report", help=say("report_help"), parents=[common])
    rep.add_argument("config", nargs="?", default=None, help=say("report_config"))
    rep.add_argument("--out", default="build", help=say("out_help"))
    rep.add_argument("--notebook", action="append", default=[], help=say("notebook_help"))
    rep.add_argument("--timeout", type=int, default=600, help=say("timeout_help"))
    rep.add_argument("--quiet", action="store_true", help=say("quiet_help"))
    rep.set_defaults(func=_report)

    dash = sub.add_parser("dashboard", help=say("dashboard_help"), parents=[common])
    dash.add_argument("config", nargs="?", default=None, help=say("dashboard_config"))
    dash.add_argument("--port", type=int, default=8866, help=say("port_help"))
    dash.add_argument("--no-browser", action="store_true", help=say("no_browser_help"))
    dash.set_defaults(func=_dashboard)
    return parser


def _lang_of(argv: list[str]) -> str:
    """The ``--lang`` given anywhere on the command line (``nb`` when none)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "nb"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "nb"
    return "nb"


def _prog() -> str:
    """How to run this command again: ``soslokal`` when that is the one on PATH, else its path
    as the user typed it (e.g. ``.venv/bin/soslokal``, which a new user has without PATH)."""
    import shutil

    me = Path(sys.argv[0])
    found = shutil.which("soslokal")
    if me.name != "soslokal" or (found and Path(found).resolve() == me.resolve()):
        return "soslokal"
    return str(sys.argv[0])


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_of(argv)
    args = build_parser(lang).parse_args(argv)
    args.lang = getattr(args, "lang", lang)
    import warnings

    shown = warnings.showwarning

    def show(message, category, *rest, **options):  # the library's warnings in one language
        if not issubclass(category, UserWarning):
            return shown(message, category, *rest, **options)
        print(f"soslokal: {_warning_text(message, args.lang)}", file=sys.stderr)

    warnings.showwarning = show
    try:
        return _run(args, lang)
    finally:
        warnings.showwarning = shown


def _run(args: argparse.Namespace, lang: str) -> int:
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"soslokal: {_error_text(exc, lang)}", file=sys.stderr)
        return 2
    except SoslokalError as exc:
        print(f"soslokal: {_error_text(exc, lang)}", file=sys.stderr)
        return 1
    except OSError as exc:
        from soslokal_lib.app.check import _os_error

        print(f"soslokal: {tr(_os_error(exc), lang)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_say(lang, "stopped"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
