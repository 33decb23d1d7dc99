"""The indicator registry: what each indicator measures and where it comes from.

A core module (it imports only ``errors``, ``framework`` and ``themes``), so that readers
(:mod:`soslokal_lib.io`) and statistics (:mod:`soslokal_lib.stats`) can name indicators without
importing the analysis package :mod:`soslokal_lib.indicators`, which re-exports everything here.

**Registry.** An :class:`Indicator` declares what an indicator measures (framework dimension,
direction, unit) and where it comes from: Stedskompasset summaries (``source="survey"``), an SSB
statistic (``"ssb"``) or a municipality's levekår sheet (``"levekar"``), both read from a column
of the area-level socioeconomic table. :data:`REGISTRY` holds the built-in ones; users add their
own in a TOML file read by :func:`load_indicators`.

**Directions.** ``higher_is_better``, ``lower_is_better`` or ``context``: a context indicator
(immigrant share, share 67+ …) describes an area without judging it and is left out of
composites unless the caller gives it a direction.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from soslokal_lib import framework
from soslokal_lib.errors import ConfigError, Problem, SoslokalError, raise_problems
from soslokal_lib.themes import THEMES, get_theme

DIRECTIONS = ("higher_is_better", "lower_is_better", "context")
SOURCES = ("survey", "ssb", "levekar")
SURVEY_STATISTICS = ("median", "share_low", "share_high", "mean")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Indicator:
    """A declarative indicator definition.

    ``dimension`` is a :data:`soslokal_lib.framework.DIMENSIONS` code (``None`` only for context
    indicators). Survey indicators name ``themes`` and a ``statistic`` of the summary table;
    ``ssb``/``levekar`` indicators name the ``column`` of the socioeconomic table, and ``ssb``
    ones may name the StatBank table and variable they come from. ``compute`` says in words how
    the value is computed. ``core`` indicators form the default goal sub-indices
    (:func:`goal_scores`); ``judgement`` flags a dimension link that is our choice, explained in
    ``note``.
    """

    id: str
    name_nb: str
    name_en: str
    dimension: str | None
    source: str
    direction: str
    unit: str
    compute: str
    themes: tuple[str, ...] = ()
    statistic: str | None = None
    column: str | None = None
    ssb_table: str | None = None
    ssb_variable: str | None = None
    core: bool = False
    judgement: bool = False
    note: str = ""

    def name(self, lang: str = "nb") -> str:
        return self.name_nb if lang.lower() in ("nb", "no", "nob", "nn") else self.name_en

    @property
    def goal(self) -> str | None:
        """Goal code of the indicator's dimension, or None."""
        return framework.get_dimension(self.dimension).goal if self.dimension else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["themes"] = list(self.themes)
        return d


# --------------------------------------------------------------------------- built-in registry
def _survey_theme_indicators() -> list[Indicator]:
    out = []
    for t in THEMES:
        dim = framework.dimension_of(t.code)
        link = framework.THEME_LINKS[t.code]
        out.append(Indicator(
            f"sk_{t.code}_median", f"{t.name_nb}: median", f"{t.name_en}: median",
            dim, "survey", "higher_is_better", "skår (median, 7 = godt)",
            "Median Stedskompasset score of the theme in the area (from the privacy-checked "
            "summary); missing when the cell is suppressed.",
            themes=(t.code,), statistic="median",
            judgement=link.dimension_judgement, note=link.dimension_rationale,
        ))
        out.append(Indicator(
            f"sk_{t.code}_share_low", f"{t.name_nb}: andel lave svar",
            f"{t.name_en}: share of low scores", dim, "survey", "lower_is_better",
            "andel (0–1)",
            "Share of respondents scoring the theme low (1–3 on 7 points, 1 on 3 points); "
            "missing when the cell is suppressed.",
            themes=(t.code,), statistic="share_low",
            judgement=link.dimension_judgement, note=link.dimension_rationale,
        ))
    return out


def _survey_dimension_indicators() -> list[Indicator]:
    out = []
    for dim in framework.DIMENSIONS:
        themes = framework.themes_of_dimension(dim.code)
        if not themes:
            continue
        judged = any(framework.THEME_LINKS[t].dimension_judgement for t in themes)
        out.append(Indicator(
            f"sk_dim_{dim.code}", f"Stedskompasset – {dim.name_nb.lower()}",
            f"Place Standard – {dim.name_en.lower()}", dim.code, "survey", "higher_is_better",
            "skår (snitt av medianer, 7 = godt)",
            "Mean of the area's medians over the themes linked to the dimension ("
            + ", ".join(themes) + "); missing if any of those themes is suppressed.",
            themes=themes, statistic="median", core=True, judgement=judged,
            note="Themes linked by soslokal_lib.framework.THEME_LINKS.",
        ))
    return out


_INCOME_NOTE = (
    "The guide defines social justice as equal access to the goods of society; household "
    "resources decide access to what it lists under sosial infrastruktur (bolig, skoler, "
    "arbeidsplasser). Filing them there is our judgement."
)

_SOCIO: tuple[Indicator, ...] = (
    Indicator(
        "persistent_low_income", "Vedvarende lavinntekt", "Persistent low income",
        "social_infrastructure", "ssb", "lower_is_better", "prosent",
        "Share of residents in households with persistent low income (below 60 % of the "
        "national median equivalised household income after tax, EU scale, averaged over "
        "three years).",
        column="low_income_pct",
        ssb_variable="Personer i husholdninger med vedvarende lavinntekt, EU60 (SSB inntekts- "
                     "og formuesstatistikk for husholdninger; grunnkrets by special order)",
        core=True, judgement=True, note=_INCOME_NOTE,
    ),
    Indicator(
        "median_household_income", "Medianinntekt for husholdninger",
        "Median household income", "social_infrastructure", "ssb", "higher_is_better",
        "kroner",
        "Median household income after tax (kroner), all private households in the area.",
        column="median_income_nok", ssb_table="06944",
        ssb_variable="Inntekt etter skatt, median (kr), alle husholdninger",
        core=True, judgement=True, note=_INCOME_NOTE,
    ),
    Indicator(
        "low_education", "Lav utdanning", "Low education", "social_infrastructure", "ssb",
        "lower_is_better", "prosent",
        "Share of adults whose highest completed education is grunnskole (levekår sheets "
        "often use ages 30–59 so that students do not count as low-educated).",
        column="low_education_pct", ssb_table="09429",
        ssb_variable="Grunnskolenivå, prosent av befolkningen 16 år og over",
        core=True, judgement=True, note=_INCOME_NOTE,
    ),
    Indicator(
        "unemployment_benefits", "Arbeidsledige og uføre", "Unemployed or on disability benefits",
        "social_infrastructure", "ssb", "lower_is_better", "prosent",
        "Share of residents aged 18–66 who are registered unemployed or receive disability "
        "benefits (NAV registers, via SSB special order or the levekår sheet).",
        column="benefits_pct",
        ssb_variable="Registrerte helt ledige og mottakere av uføretrygd 18–66 år, prosent "
                     "(NAV/SSB)",
        core=True, judgement=True,
        note="«Arbeidsplasser» are listed under sosial infrastruktur; access to work is read "
             "through its absence.",
    ),
    Indicator(
        "crowded_housing", "Trangboddhet", "Crowded housing", "social_infrastructure", "ssb",
        "lower_is_better", "prosent",
        "Share of residents in crowded households. SSB's definition needs both conditions: "
        "(1) fewer rooms than persons, or one person in a one-room dwelling, and (2) less "
        "than 25 m² per person. A household meeting only one of them is not crowded.",
        column="crowded_pct",
        ssb_variable="Personer i trangbodde husholdninger, prosent (SSB boforhold, register)",
        core=True, judgement=False, note="«Bolig» is the first item of sosial infrastruktur.",
    ),
    Indicator(
        "moving_rate", "Flytterate (utskifting)", "Moving rate (population turnover)",
        "stability", "ssb", "lower_is_better", "per 1000 innbyggere",
        "Moves into and out of the area in a year per 1000 residents (gross turnover).",
        column="moving_rate_per_1000",
        ssb_variable="Inn- og utflyttinger per 1000 innbyggere (SSB flyttestatistikk)",
        core=True, judgement=True,
        note="Residential stability («stabilitet, som gir aktivitet og deltakelse»). The guide "
             "ties the balance of moving in and out to «trygghet og sikkerhet»; filing "
             "turnover under stability is our judgement, and high turnover is not bad for "
             "everyone.",
    ),
    Indicator(
        "turnout", "Valgdeltakelse ved kommunestyrevalg", "Turnout at local elections",
        "political_participation", "levekar", "higher_is_better", "prosent",
        "Votes cast as a share of those entitled to vote at the latest municipal election, per "
        "voting district (the kommune's election results; Valgdirektoratet).",
        column="turnout_pct", core=True, judgement=False,
        note="«Politisk deltakelse: politiske valg og politiske prosesser».",
    ),
    Indicator(
        "immigrant_share", "Innvandrere og norskfødte med innvandrerforeldre",
        "Immigrants and Norwegian-born to immigrant parents", None, "ssb", "context", "prosent",
        "Share of residents who are immigrants or Norwegian-born to immigrant parents. "
        "Describes the population; does not judge the area.",
        column="immigrant_pct", ssb_table="09817",
        ssb_variable="Innvandrere og norskfødte med innvandrerforeldre, prosent av befolkningen",
    ),
    Indicator(
        "share_67_plus", "Andel 67 år og eldre", "Share aged 67 and over", None, "ssb",
        "context", "prosent", "Share of residents aged 67 or more.",
        column="pct_67plus", ssb_table="04362",
        ssb_variable="Personer, etter alder (grunnkrets)",
    ),
    Indicator(
        "share_0_17", "Andel barn og unge 0–17 år", "Share aged 0–17", None, "ssb", "context",
        "prosent", "Share of residents aged 0–17.",
        column="pct_0_17", ssb_table="04362",
        ssb_variable="Personer, etter alder (grunnkrets)",
    ),
    Indicator(
        "population", "Folketall", "Population", None, "ssb", "context", "personer",
        "Number of residents (1 January).",
        column="population", ssb_table="04317", ssb_variable="Personer (grunnkrets)",
    ),
)

#: Built-in indicators: survey per theme, survey per dimension, socioeconomic and context.
REGISTRY: tuple[Indicator, ...] = (
    *_survey_theme_indicators(), *_survey_dimension_indicators(), *_SOCIO,
)
_BY_ID = {i.id: i for i in REGISTRY}


def get_indicator(key: str, indicators: Iterable[Indicator] | None = None) -> Indicator:
    """An indicator by id from ``indicators`` (default: :data:`REGISTRY`)."""
    table = _BY_ID if indicators is None else {i.id: i for i in indicators}
    if key in table:
        return table[key]
    close = difflib.get_close_matches(str(key), list(table), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    raise SoslokalError(
        f"No indicator is called {key!r}.{hint} Fix: use an id from "
        "soslokal_lib.indicators.REGISTRY or define it with load_indicators()."
    )


def _as_entries(indicators: Iterable[Indicator] | pd.DataFrame | None) -> list[Indicator]:
    """Indicator definitions, or those of an indicator table's columns, or the registry."""
    if indicators is None:
        return list(REGISTRY)
    if isinstance(indicators, pd.DataFrame):
        return list(table_entries(indicators).values())
    return list(indicators)


def registry_table(indicators: Iterable[Indicator] | pd.DataFrame | None = None,
                   lang: str = "nb") -> pd.DataFrame:
    """The registry as a table (one row per indicator), for display.

    ``indicators``: definitions, an indicator table (its columns' entries) or None (the whole
    registry). ``dimension_name`` and ``goal_name`` are in ``lang``.
    """
    rows = []
    for ind in _as_entries(indicators):
        d = ind.to_dict()
        d["name"] = ind.name(lang)
        d["goal"] = ind.goal
        d["themes"] = ", ".join(ind.themes)
        d["dimension_name"] = (framework.get_dimension(ind.dimension).name(lang)
                               if ind.dimension else "")
        d["goal_name"] = framework.get_goal(ind.goal).name(lang) if ind.goal else ""
        rows.append(d)
    return pd.DataFrame(rows).set_index("id")


def coverage(indicators: Iterable[Indicator] | pd.DataFrame | None = None) -> pd.DataFrame:
    """Per dimension (an item the guide lists under a goal): goal and the ids of the
    (non-context) indicators covering it.

    ``indicators``: definitions, an indicator table (its columns) or None (the registry).
    """
    inds = [i for i in _as_entries(indicators) if i.dimension and i.direction != "context"]
    rows = []
    for dim in framework.DIMENSIONS:
        mine = [i for i in inds if i.dimension == dim.code]
        rows.append({
            "dimension": dim.code, "goal": dim.goal, "name_nb": dim.name_nb,
            "n_indicators": len(mine),
            "survey": [i.id for i in mine if i.source == "survey"],
            "socioeconomic": [i.id for i in mine if i.source != "survey"],
        })
    return pd.DataFrame(rows).set_index("dimension")


def uncovered_dimensions(
    indicators: Iterable[Indicator] | pd.DataFrame | None = None,
) -> tuple[str, ...]:
    """Dimension codes no (non-context) indicator covers.

    ``indicators``: indicator definitions, or an indicator table (its columns are looked up in
    ``table.attrs["indicators"]`` and the registry), or None for the whole built-in registry.
    """
    cov = coverage(indicators)
    return tuple(cov.index[cov["n_indicators"] == 0])


# --------------------------------------------------------------------------- TOML user indicators
_FIELDS = set(Indicator.__dataclass_fields__)


def load_indicators(path: str | Path, *, builtin: Iterable[Indicator] | None = None
                    ) -> tuple[Indicator, ...]:
    """Read user indicators from a TOML file; validate every entry.

    Shape (one ``[[indicator]]`` table per indicator)::

        [[indicator]]
        id = "child_low_income"            # lower-case letters, digits, _
        name_nb = "Barn i lavinntektsfamilier"
        name_en = "Children in low-income families"   # optional (default: name_nb)
        dimension = "social_infrastructure"  # a framework dimension code or name
        direction = "lower_is_better"        # higher_is_better | lower_is_better | context
        unit = "prosent"                     # optional
        source = "levekar"                   # levekar (default) | ssb | survey
        column = "barn_lavinntekt"           # levekar/ssb: column of the socioeconomic table
        # survey: themes = ["feeling_safe"], statistic = "median" (mean over themes)
        compute = "…"                        # optional, how it is computed
        core = true                          # optional: part of the default goal sub-indices

    Raises one :class:`ConfigError` naming the file, the indicator and the fix for the first
    problem, counting the rest. Ids may not repeat, nor clash with ``builtin`` (default
    :data:`REGISTRY`).
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found. Fix: check the path.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}). Fix: correct the syntax.") from None
    problems: list[Problem] = []
    extra_keys = [k for k in raw if k != "indicator"]
    if extra_keys:
        problems.append(Problem(
            f"unknown table or key {extra_keys[0]!r}", value=extra_keys[0],
            fix="put each indicator in an [[indicator]] table"))
    entries = raw.get("indicator", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(Problem("'indicator' must be an array of tables",
                                fix="write each indicator under its own [[indicator]] header"))
        entries = []
    if not entries and not problems:
        problems.append(Problem("no [[indicator]] tables found",
                                fix="add at least one [[indicator]] table"))
    taken = {i.id for i in (REGISTRY if builtin is None else builtin)}
    seen: dict[str, int] = {}
    out: list[Indicator] = []
    for number, entry in enumerate(entries, start=1):
        ind, found = _parse_entry(entry, number)
        problems.extend(found)
        if ind is None:
            continue
        where = f"indicator {ind.id!r} (entry {number})"
        if ind.id in seen:
            problems.append(Problem(
                f"{where}: duplicate id, also used by entry {seen[ind.id]}", value=ind.id,
                fix="give every indicator its own id"))
        elif ind.id in taken:
            problems.append(Problem(
                f"{where}: id clashes with a built-in indicator", value=ind.id,
                fix="choose another id (e.g. prefix it with your kommune's name)"))
        seen.setdefault(ind.id, number)
        out.append(ind)
    raise_problems(ConfigError, path, problems)
    return tuple(out)


def _parse_entry(entry: Mapping[str, Any], number: int) -> tuple[Indicator | None, list[Problem]]:
    problems: list[Problem] = []
    ident = entry.get("id")
    where = f"indicator {ident!r} (entry {number})" if ident else f"entry {number}"

    def bad(message: str, value: Any = None, fix: str | None = None) -> None:
        problems.append(Problem(f"{where}: {message}", value=value, fix=fix))

    for key in entry:
        if key not in _FIELDS:
            close = difflib.get_close_matches(key, sorted(_FIELDS), n=1)
            bad(f"unknown field {key!r}", key,
                f"use {close[0]!r}" if close else f"use one of {', '.join(sorted(_FIELDS))}")
    for key in ("id", "name_nb", "direction"):
        if not entry.get(key):
            bad(f"missing field {key!r}", fix=f"add {key} = \"…\"")
    if ident is not None and (not isinstance(ident, str) or not _ID.match(ident)
                              or "__" in ident):
        bad("id must be lower-case letters, digits and single underscores, starting with a "
            "letter", ident, "e.g. id = \"child_low_income\"")
    direction = entry.get("direction")
    if direction and direction not in DIRECTIONS:
        bad("unknown direction", direction, f"use one of {', '.join(DIRECTIONS)}")
    dimension = entry.get("dimension")
    if dimension:
        try:
            dimension = framework.get_dimension(dimension).code
        except SoslokalError:
            close = difflib.get_close_matches(str(dimension), framework.DIMENSION_CODES, n=1)
            bad("unknown dimension", dimension,
                f"use {close[0]!r}" if close
                else f"use one of {', '.join(framework.DIMENSION_CODES)}")
    elif direction in ("higher_is_better", "lower_is_better"):
        bad("missing field 'dimension' (only context indicators may go without)",
            fix=f"add dimension = one of {', '.join(framework.DIMENSION_CODES)}")
    source = entry.get("source", "levekar")
    if source not in SOURCES:
        bad("unknown source", source, f"use one of {', '.join(SOURCES)}")
    themes: tuple[str, ...] = ()
    statistic = entry.get("statistic")
    if source == "survey":
        raw_themes = entry.get("themes")
        if not raw_themes or not isinstance(raw_themes, list):
            bad("a survey indicator needs themes", fix="add themes = [\"feeling_safe\", …]")
        else:
            try:
                themes = tuple(get_theme(t).code for t in raw_themes)
            except SoslokalError as exc:
                bad(str(exc).split(" Fix:")[0], fix="use theme codes from soslokal_lib.THEMES")
        statistic = statistic or "median"
        if statistic not in SURVEY_STATISTICS:
            bad("unknown statistic", statistic, f"use one of {', '.join(SURVEY_STATISTICS)}")
    elif source in ("ssb", "levekar") and not entry.get("column"):
        bad("missing field 'column' (the column of the socioeconomic table)",
            fix="add column = \"<column name in your levekår sheet>\"")
    for key in ("core", "judgement"):
        if key in entry and not isinstance(entry[key], bool):
            bad(f"{key} must be true or false", entry[key], f"write {key} = true")
    if problems:
        return None, problems
    ind = Indicator(
        id=ident, name_nb=str(entry["name_nb"]), name_en=str(entry.get("name_en",
                                                                      entry["name_nb"])),
        dimension=dimension or None, source=source, direction=direction,
        unit=str(entry.get("unit", "")),
        compute=str(entry.get("compute", "As delivered in the source column." if source !=
                              "survey" else f"Mean of the themes' {statistic}.")),
        themes=themes, statistic=statistic if source == "survey" else None,
        column=entry.get("column"), ssb_table=_opt_str(entry.get("ssb_table")),
        ssb_variable=_opt_str(entry.get("ssb_variable")), core=bool(entry.get("core", False)),
        judgement=bool(entry.get("judgement", False)), note=str(entry.get("note", "")),
    )
    return ind, []


def sheet_indicator(label: str, entry: Mapping[str, Any]) -> tuple[Indicator | None,
                                                                     list[Problem]]:
    """An indicator a levekår sheet's column defines in the config (``[[levekar]] indicators =
    { "<label>" = { id = …, direction = …, dimension = … } }``): the fields of
    :func:`load_indicators`, with ``name_nb`` defaulting to the column label, ``source`` to
    ``"levekar"``, ``column`` to the id and ``core`` to true (so that it enters the composite
    indices). Returns the indicator, or ``None`` and the problems."""
    full: dict[str, Any] = {"name_nb": label, "source": "levekar", "core": True, **entry}
    full.setdefault("column", full.get("id"))
    return _parse_entry(full, 1)


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def table_entries(table: pd.DataFrame) -> dict[str, Indicator]:
    """Registry entries of the indicator columns of ``table`` (attrs first, then registry)."""
    stored = table.attrs.get("indicators", {}) or {}
    out: dict[str, Indicator] = {}
    for col in table.columns:
        if "__" in str(col):
            continue
        if col in stored:
            d = dict(stored[col])
            d["themes"] = tuple(d.get("themes", ()))
            out[col] = Indicator(**d)
        elif col in _BY_ID:
            out[col] = _BY_ID[col]
    return out



# --- naming a built-in indicator in a levekår sheet -----------------------------------------------


_GENERIC = {"andel", "antall", "prosent", "share", "number", "rate", "with", "over", "under"}


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-zæøå0-9]+", str(text).casefold())
            if len(w) >= 4 and w not in _GENERIC]


def sheet_suggestions(*texts: object, n: int = 3) -> list[Indicator]:
    """The built-in register indicators (those with a ``column``) closest to ``texts`` (a wrong
    id, a sheet label …), best first: an id or column given exactly, then a word shared with
    the name («Lavinntekt (%)» → persistent_low_income), then close spellings."""
    score: dict[str, float] = {}
    for entry in (i for i in REGISTRY if i.column):
        keys = [entry.id, str(entry.column), entry.name_nb.casefold(), entry.name_en.casefold()]
        names = _words(f"{entry.name_nb} {entry.name_en}")
        best = 0.0
        for text in (str(t).strip().casefold() for t in texts if t is not None):
            if text in keys[:2]:
                best = max(best, 2.0)
            best = max(best, *(difflib.SequenceMatcher(None, text, k).ratio() for k in keys))
            if any(a in b or b in a for a in _words(text) for b in names):
                best = max(best, 1.0)
        if best >= 0.6:
            score[entry.id] = best
    top = max(score.values(), default=0.0)
    floor = top if top >= 2 else min(top, 1.0)  # an exact id or column: that one alone
    keep = [i for i in sorted(score, key=lambda i: -score[i]) if score[i] >= floor]
    return [_BY_ID[i] for i in keep[:n]]


def sheet_choices(*texts: object) -> tuple[Any, Any]:
    """``(close, ids)`` for a message: «mente du "persistent_low_income" (Vedvarende
    lavinntekt)? » (or ``""``) and every built-in register indicator as «id (navn)»."""
    from soslokal_lib._messages import lazy, msg

    def named(entries: Iterable[Indicator]):
        entries = list(entries)
        return lazy(lambda lang: ", ".join(
            f"\"{i.id}\" for «{i.name_en if lang == 'en' else i.name_nb}»" for i in entries))

    close = sheet_suggestions(*texts)
    return (msg("hint.did_you_mean", names=named(close)) if close else "",
            named(i for i in REGISTRY if i.column))
