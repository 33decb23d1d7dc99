"""Change between survey rounds for notebook 08 (``08_endring``) and the «politisk verksted».

:func:`load_rounds` reads the earlier round next to the main one (the report's inputs) and
compares them with :func:`soslokal_lib.stats.rounds.compare_rounds`; the other functions return
what the notebook shows (a table, a figure) or ``None`` when there is nothing to compare (one
round only), so a cell can end with the call and the notebook stops cleanly.

Rounds come from the config's ``[[survey]]`` blocks (the notebook parameter ``rounds``, as
:meth:`soslokal_lib.app.config.Config.to_parameters` gives it: ``[{"round", "path", "columns",
"options"}, …]`` oldest first, the last being the main round), or, for the bundled synthetic
sample, from its two files (2021 and 2025, :data:`SAMPLE_ROUNDS`). With three or more rounds the
main round is compared with the one before it.

**Areas.** The earlier round is read with the same area codes as the main round (the boundary
file's names and codes), the crosswalk's old names kept as they are; the crosswalk is
translated to those codes, and merges of the main round (``[areas] merge``) are added to it, so
``compare_rounds`` compares on the main round's boundaries and decides privacy with the merged
areas as a linked table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from soslokal_lib.numformat import MINUS, format_number, format_percent, lang_key
from soslokal_lib.plot.rounds import TEXT as PLOT_TEXT  # one wording for «in one round only»
from soslokal_lib.privacy import SUPPRESSION_LABELS  # one wording for hidden cells

if TYPE_CHECKING:
    from soslokal_lib.io.inputs import Inputs
    from soslokal_lib.stats.rounds import RoundComparison
    from soslokal_lib.survey import Survey

__all__ = ["RoundsStudy", "SAMPLE_CROSSWALK", "SAMPLE_ROUNDS", "change_table", "compass_figure",
           "dots_figure", "flagged_themes", "load_rounds", "map_figure", "sample_rounds"]

#: The sample's rounds (label, file in ``data/sample``), oldest first, and its crosswalk.
SAMPLE_ROUNDS = (("2021", "stedskompass_fjordvik_2021.csv"), ("2025", "stedskompass_fjordvik.csv"))
SAMPLE_CROSSWALK = "runder_crosswalk.csv"

TEXT = {
    "nb": {
        "one_round": "Oppsettet har bare én runde av undersøkelsen{label}, så det er ingen "
                     "endring å vise: legg til den forrige runden som en egen [[survey]]-blokk "
                     "med round = \"…\" for å sammenligne.",
        "area": "Område", "theme": "Tema", "n_before": "Svar {a}", "n_after": "Svar {b}",
        "low_before": "Lave skårer {a}", "low_after": "Lave skårer {b}",
        "diff": "Endring (prosentpoeng)", "ci": "{conf} %-intervall", "q": "q-verdi",
        "changed": "Tydelig endring", "better": "ja, bedre", "worse": "ja, verre", "no": "nei",
        "hidden": {**SUPPRESSION_LABELS["nb"], "one_round": PLOT_TEXT["nb"]["one_round"]},
        "total": "Hele kommunen", "to": "til",
        "round_n": "runde {label}: {n} svar", "rounds": "Rundene i undersøkelsen: {items}. "
        "Hovedrunden {after} sammenlignes med {before}{areas}.",
        "areas_changed": "; områder som har byttet navn eller er slått sammen, følger "
                         "grensene i {after}: {items}",
    },
    "en": {
        "one_round": "The config has only one round of the survey{label}, so there is no "
                     "change to show: add the earlier round as its own [[survey]] block with "
                     "round = \"…\" to compare.",
        "area": "Area", "theme": "Theme", "n_before": "Answers {a}", "n_after": "Answers {b}",
        "low_before": "Low scores {a}", "low_after": "Low scores {b}",
        "diff": "Change (percentage points)", "ci": "{conf}% interval", "q": "q-value",
        "changed": "Clear change", "better": "yes, better", "worse": "yes, worse", "no": "no",
        "hidden": {**SUPPRESSION_LABELS["en"], "one_round": PLOT_TEXT["en"]["one_round"]},
        "total": "Whole municipality", "to": "to",
        "round_n": "round {label}: {n} answers", "rounds": "The survey's rounds: {items}. The "
        "main round {after} is compared with {before}{areas}.",
        "areas_changed": "; areas renamed or merged since follow the boundaries of {after}: "
                         "{items}",
    },
}


def sample_rounds() -> tuple[list[dict], str]:
    """The sample's rounds as the ``rounds`` parameter (oldest first) and its crosswalk path."""
    from soslokal_lib.io.sample import SAMPLE_DIR, survey_columns

    rounds = [{"round": label, "path": str(SAMPLE_DIR / name), "columns": survey_columns(),
               "options": {"round": label}} for label, name in SAMPLE_ROUNDS]
    return rounds, str(SAMPLE_DIR / SAMPLE_CROSSWALK)


@dataclass(frozen=True)
class RoundsStudy:
    """The main round, the round before it and their comparison (``None`` with one round).

    ``labels``: every round, oldest first; ``before``: the earlier round as read (old area
    names where the crosswalk has them); ``mapping``: old area → area of the main round (the
    resolved crosswalk with merges); ``names``: area code → name (the main round's)."""

    labels: tuple[str, ...]
    after: Survey
    before: Survey | None = None
    comparison: RoundComparison | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    areas: Any = None
    source: str | None = None
    min_n: int = 5
    confidence: float = 0.95

    @property
    def available(self) -> bool:
        """True when two rounds were compared."""
        return self.comparison is not None

    @property
    def statistic(self) -> int | None:
        """Area rows flagged as a clear change (``None`` with one round)."""
        return self.comparison.statistic if self.comparison is not None else None

    @property
    def since(self) -> str | None:
        """The label of the earlier round compared («Endring siden 2021»)."""
        return self.comparison.before if self.comparison is not None else None

    def text(self, lang: str = "nb") -> str:
        """The comparison in words (areas by name); ``""`` with one round (:meth:`overview`
        says so)."""
        if self.comparison is None:
            return ""
        return self.comparison.text(lang, names=self.names)

    def overview(self, lang: str = "nb") -> str:
        """Which rounds there are (answers in each) and which two are compared; with one round
        the one sentence that there is nothing to compare."""
        if self.comparison is None:
            label = f" ({self.labels[-1]})" if self.labels else ""
            return TEXT[lang_key(lang)]["one_round"].format(label=label)
        w = TEXT[lang_key(lang)]
        counts = {self.comparison.before: len(self.before.responses),
                  self.comparison.after: len(self.after.responses)}
        items = "; ".join(w["round_n"].format(label=k, n=format_number(n, lang))
                          for k, n in counts.items())
        moved = ", ".join(f"{old} → {self.names.get(new, new)}"
                          for old, new in self.mapping.items())
        areas = w["areas_changed"].format(after=self.comparison.after, items=moved) if moved \
            else ""
        return w["rounds"].format(items=items, after=self.comparison.after,
                                  before=self.comparison.before, areas=areas)

    def focus(self, area: str | None = None, theme: str | None = None) -> tuple[str, str]:
        """``(area code, theme)`` to show: those given (an area by code or name), else the
        largest clear change in an area (else the first area and theme)."""
        table = self.comparison.to_frame() if self.comparison is not None else None
        flagged = self.comparison.flagged() if self.comparison is not None else None
        areas = flagged[flagged["area_id"].astype(str) != "total"] if flagged is not None \
            else None
        if area is None:
            area = (str(areas["area_id"].iloc[0]) if areas is not None and len(areas) else
                    next((str(a) for a in table["area_id"].astype(str) if a != "total"), "")
                    if table is not None else "")
        area = next((c for c, n in self.names.items() if str(n) == str(area)), str(area))
        if theme is None:
            rows = areas if areas is not None and len(areas) else flagged
            theme = (str(rows["theme"].iloc[0]) if rows is not None and len(rows) else
                     str(table["theme"].iloc[0]) if table is not None else "")
        return area, theme

    def to_frame(self) -> pd.DataFrame:
        """The comparison table (suppressed rows without statistics) with ``area_name``; empty
        with one round."""
        if self.comparison is None:
            return pd.DataFrame()
        table = self.comparison.to_frame()
        ids = table["area_id"].astype(str) if "area_id" in table.columns else None
        if ids is not None:
            table.insert(1, "area_name", ids.map({**self.names, "total": "total"}).fillna(ids))
        return table

    def summaries(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Each round's :func:`~soslokal_lib.summarise` on the main round's areas (the earlier
        round brought onto them with :attr:`mapping`), for the overlaid compass."""
        from soslokal_lib.stats.summary import summarise
        from soslokal_lib.survey import Survey

        before = self.before
        if self.mapping:
            area = before.responses["area_id"].map(lambda v: self.mapping.get(v, v),
                                                   na_action="ignore").astype("string")
            before = Survey(before.responses.assign(area_id=area), before.comments,
                            before.meta, dont_know=before.dont_know)
        kw = {"min_n": self.min_n, "confidence": self.confidence}
        return summarise(before, **kw), summarise(self.after, **kw)


def load_rounds(inputs: Inputs, rounds: Sequence[Mapping] | None = None,
                crosswalk: Any = None, *, min_n: int = 5, confidence: float = 0.95,
                weight: Any = None) -> RoundsStudy:
    """The rounds of ``inputs`` (the main round, as the report reads it) compared.

    ``rounds``: the notebook parameter (see the module docstring); ``None`` for the synthetic
    sample loaded without a file (``inputs.synthetic``) gives its two rounds and crosswalk,
    otherwise one round. ``crosswalk``: ``{old: new}`` or a CSV path (``[rounds] crosswalk``).
    """
    from soslokal_lib.stats.rounds import compare_rounds

    if rounds is None and inputs.synthetic:
        rounds, sample_crosswalk = sample_rounds()
        crosswalk = sample_crosswalk if crosswalk is None else crosswalk
    rounds = list(rounds or [])
    labels = tuple(str(r["round"]) for r in rounds if r.get("round") is not None)
    base = {"names": dict(inputs.names), "areas": inputs.areas, "source": inputs.source,
            "min_n": min_n, "confidence": confidence}
    after = _labelled(inputs.survey, labels[-1] if labels else None)
    if len(rounds) < 2:
        return RoundsStudy(labels=labels, after=after, **base)
    codes = _area_codes(inputs, crosswalk)
    before = _read_earlier(rounds, codes, crosswalk, inputs)
    table = _crosswalk(crosswalk, codes, inputs, before)
    from soslokal_lib.stats.areamerge import AreaMerge

    merged = AreaMerge.from_meta(inputs.survey.meta.get("area_merge"))
    comparison = compare_rounds(before, after, min_n=min_n, confidence=confidence,
                                weight=weight, crosswalk=table or None,
                                names=dict(inputs.names),
                                old_names=dict(merged.names) if merged is not None else None)
    mapping = _resolved(table, before, after)
    return RoundsStudy(labels=labels, after=after, before=before, comparison=comparison,
                       mapping=mapping, **base)


def _labelled(survey: Survey, label: str | None) -> Survey:
    from soslokal_lib.survey import Survey

    if label is None or survey.meta.get("round") == label:
        return survey
    return Survey(survey.responses, survey.comments, {**survey.meta, "round": label},
                  dont_know=survey.dont_know)


def _area_codes(inputs: Inputs, crosswalk: Any) -> dict[str, str] | None:
    """Area name or code → code for reading the earlier round: the main round's areas, the
    areas merged into others, and the crosswalk's old names as themselves."""
    from soslokal_lib.io.inputs import AreaCodes
    from soslokal_lib.stats.areamerge import AreaMerge
    from soslokal_lib.stats.crosswalk import read_crosswalk

    if inputs.areas is None:
        return None
    codes = AreaCodes(inputs.areas, inputs.source or "")
    merged = AreaMerge.from_meta(inputs.survey.meta.get("area_merge"))
    if merged is not None:
        for code, name in merged.names.items():
            codes.setdefault(str(name), str(code))
            codes.setdefault(str(code), str(code))
    if crosswalk is not None:
        for old in read_crosswalk(_plain(crosswalk)):
            codes.setdefault(old, old)
    return codes


def _plain(crosswalk: Any) -> Any:
    return dict(crosswalk) if isinstance(crosswalk, Mapping) else crosswalk


def _read_round(spec: Mapping, codes: dict[str, str] | None) -> Survey:
    from soslokal_lib.io.survey import read_survey

    options = {k: v for k, v in dict(spec.get("options") or {}).items()}
    options["round"] = str(spec["round"])
    return read_survey(Path(spec["path"]), dict(spec.get("columns") or {}) or None,
                       area_codes=codes, **options)


def _read_earlier(rounds: Sequence[Mapping], codes: dict[str, str] | None, crosswalk: Any,
                  inputs: Inputs) -> Survey:
    """The round before the main one, on the main round's area codes. Area answers that match
    no area, and names of the crosswalk in no round and no area, are errors that say what to
    write under ``[rounds] crosswalk`` (a renamed area) or which name is misspelt."""
    from soslokal_lib.errors import ConfigError, SurveyFormatError

    spec = rounds[-2]
    try:
        before = _read_round(spec, codes)
    except SurveyFormatError as exc:
        if codes is None:
            raise
        try:
            raw = _read_round(spec, None)
        except SurveyFormatError:
            raise exc from None
        problem = _unmatched_areas(rounds, raw, codes, crosswalk, inputs)
        if problem is None:
            raise
        raise ConfigError(problem) from exc
    if crosswalk is not None and codes is not None:
        problem = _misspelt(crosswalk, before.responses["area_id"], rounds, inputs)
        if problem is not None:
            raise ConfigError(problem)
    return before


def _misspelt(crosswalk: Any, answers: pd.Series, rounds: Sequence[Mapping],
              inputs: Inputs) -> Any:
    """The problem of the first crosswalk name in no round's answers (``answers`` of the
    earlier round, the main round's) and no area, or ``None``."""
    from soslokal_lib._messages import msg
    from soslokal_lib.stats.crosswalk import read_crosswalk, unknown_crosswalk_names

    answered = [*answers.dropna().astype(str).unique(),
                *inputs.survey.responses["area_id"].dropna().astype(str).unique()]
    known = list(_area_codes(inputs, None) or {})  # the areas, without the crosswalk's names
    problems = unknown_crosswalk_names(
        read_crosswalk(_plain(crosswalk)), answered, known,
        surveys=", ".join(Path(r["path"]).name for r in rounds), boundary=msg("rounds.boundary"))
    return problems[0] if problems else None


def _unmatched_areas(rounds: Sequence[Mapping], raw: Survey, codes: dict[str, str],
                     crosswalk: Any, inputs: Inputs) -> Any:
    """The error for an earlier round whose area answers match no area (``raw``: the round
    read without area codes): a misspelt crosswalk name first, else the answers with the
    ``[rounds] crosswalk`` line to write; ``None`` when every answer matches."""
    from soslokal_lib._messages import lazy, msg, tr
    from soslokal_lib.stats.crosswalk import crosswalk_advice, fold, read_crosswalk

    spec = rounds[-2]
    answers = raw.responses["area_id"].dropna().astype(str)
    answers = answers[answers.str.strip() != ""]
    if crosswalk is not None and read_crosswalk(_plain(crosswalk)):
        problem = _misspelt(crosswalk, answers, rounds, inputs)
        if problem is not None:
            return problem
    known = {fold(k) for k in codes}
    folded = answers.map(fold)
    missing = answers[~folded.isin(known).to_numpy()]
    if missing.empty:
        return None
    rows = raw.meta.get("source_rows")
    rows = (pd.Series(list(rows), index=raw.responses.index) if rows is not None
            and len(rows) == len(raw.responses) else None)
    counts = missing.value_counts(sort=False)
    ones = [msg("rounds.unmatched_one", value=v, n=int(n),
                row=int(rows[missing.index[missing == v]].min()) if rows is not None else "?")
            for v, n in counts.items()]
    seen = set(folded)
    candidates = [str(inputs.names.get(c, c)) for c in inputs.areas.index.astype(str)
                  if fold(inputs.names.get(c, c)) not in seen and fold(c) not in seen]
    return msg("rounds.unmatched", survey=Path(spec["path"]).name, round=spec["round"],
               n=len(counts), listed=lazy(lambda lang: "; ".join(tr(o, lang) for o in ones)),
               advice=crosswalk_advice(list(counts.index), candidates, spec["round"]))


def _crosswalk(crosswalk: Any, codes: dict[str, str] | None, inputs: Inputs,
               before: Survey) -> dict:
    """The crosswalk on the main round's codes (new names → codes), with the main round's
    merges added for the areas of the earlier round they concern."""
    from soslokal_lib.stats.areamerge import AreaMerge
    from soslokal_lib.stats.crosswalk import read_crosswalk

    table: dict[str, list[str]] = {}
    if crosswalk is not None:
        for old, targets in read_crosswalk(_plain(crosswalk)).items():
            table[old] = [(codes or {}).get(t, t) for t in targets]
    merged = AreaMerge.from_meta(inputs.survey.meta.get("area_merge"))
    if merged is not None:
        present = set(before.responses["area_id"].dropna().astype(str))
        for code, final in merged.mapping.items():
            if str(code) in present:
                table.setdefault(str(code), [str(final)])
            for old, targets in table.items():
                table[old] = [str(final) if t == str(code) else t for t in targets]
    return {k: v[0] if len(v) == 1 else v for k, v in table.items()}


def _resolved(table: dict, before: Survey, after: Survey) -> dict[str, str]:
    from soslokal_lib.stats.crosswalk import read_crosswalk, resolve_crosswalk

    if not table:
        return {}
    known = set(before.responses["area_id"].dropna().astype(str)) | set(
        after.responses["area_id"].dropna().astype(str))
    return {k: v for k, v in resolve_crosswalk(read_crosswalk(table), known).items() if k != v}


# --- what the notebook and the report show ------------------------------------------------------


def _signed(value: float, lang: str, decimals: int = 0) -> str:
    text = format_number(abs(value), lang, decimals)
    return ("+" if value > 0 else MINUS if value < 0 else "±") + text


def change_table(study: RoundsStudy, lang: str = "nb", *, changed_only: bool = False) -> Any:
    """The comparison as shown: area, theme, answers in each round, the share of low scores in
    each, the change in percentage points with its interval, q and whether it is a clear
    change; a hidden row says why and shows no figure. ``None`` with one round."""
    if study.comparison is None:
        return None
    frame = readable_changes(study, lang, changed_only=changed_only)
    return frame.style.hide(axis="index")


def readable_changes(study: RoundsStudy, lang: str = "nb", *,
                     changed_only: bool = False) -> pd.DataFrame:
    """:func:`change_table` as a plain frame of texts."""
    from soslokal_lib.themes import theme_labels

    w = TEXT[lang_key(lang)]
    table = study.comparison.to_frame()
    if changed_only:
        table = table[table["changed"]]
    a, b = study.comparison.before, study.comparison.after
    themes = theme_labels(lang)
    conf = format_number(100 * study.confidence, lang, 0)
    rows = []
    for r in table.itertuples(index=False):
        area = str(r.area_id)
        row = {w["area"]: w["total"] if area == "total" else study.names.get(area, area),
               w["theme"]: themes.get(str(r.theme), str(r.theme)),
               w["n_before"].format(a=a): format_number(r.n_before, lang),
               w["n_after"].format(b=b): format_number(r.n_after, lang)}
        if r.suppressed:
            reason = w["hidden"].get(str(r.suppression), w["hidden"]["primary"])
            row.update({w["low_before"].format(a=a): reason, w["low_after"].format(b=b): "",
                        w["diff"]: "", w["ci"].format(conf=conf): "", w["q"]: "",
                        w["changed"]: ""})
        else:
            row.update({
                w["low_before"].format(a=a): format_percent(r.share_low_before, lang),
                w["low_after"].format(b=b): format_percent(r.share_low_after, lang),
                w["diff"]: _signed(100 * r.share_low_diff, lang),
                w["ci"].format(conf=conf): f"{_signed(100 * r.share_low_diff_ci_low, lang)} "
                                           f"{w['to']} "
                                           f"{_signed(100 * r.share_low_diff_ci_high, lang)}",
                w["q"]: (f"< {format_number(0.001, lang, 3)}" if r.q_value < 0.001
                         else format_number(r.q_value, lang, 3)),
                w["changed"]: w[str(r.direction)] if r.changed else w["no"]})
        rows.append(row)
    return pd.DataFrame(rows)


def flagged_themes(study: RoundsStudy) -> list[str]:
    """Themes with at least one clear change (an area or the whole kommune), official order."""
    if study.comparison is None:
        return []
    table = study.comparison.to_frame()
    return [str(t) for t in table["theme"].cat.categories
            if table.loc[table["theme"] == t, "changed"].any()]


def dots_figure(study: RoundsStudy, lang: str = "nb", themes: Sequence[str] | None = None,
                **options: Any) -> Any:
    """The dot plot of the change in the share of low scores per area × theme
    (:func:`soslokal_lib.plot.rounds.plot_change_dots`); ``None`` with one round."""
    from soslokal_lib.plot.rounds import plot_change_dots

    if study.comparison is None:
        return None
    names = {**study.names}
    return plot_change_dots(study.comparison.to_frame(), themes=themes, lang=lang, names=names,
                            source=study.source, min_n=study.min_n, **options)


def compass_figure(study: RoundsStudy, area: str | None = None, lang: str = "nb") -> Any:
    """The overlaid compass of ``area`` (code or name; ``None``: :meth:`RoundsStudy.focus`) in
    the two rounds (:func:`soslokal_lib.plot.rounds.plot_compass_rounds`); ``None`` with one
    round."""
    from soslokal_lib.plot.rounds import plot_compass_rounds

    if study.comparison is None:
        return None
    code = study.focus(area)[0]
    before, after = study.summaries()
    return plot_compass_rounds(before, after, code, comparison=study.comparison.to_frame(),
                               lang=lang, names=study.names, source=study.source,
                               min_n=study.min_n)


def map_figure(study: RoundsStudy, theme: str | None = None, lang: str = "nb") -> Any:
    """The map of the change in ``theme`` (``None``: :meth:`RoundsStudy.focus`;
    :func:`soslokal_lib.plot.rounds.plot_change_map`); ``None`` with one round or without a
    boundary file."""
    from soslokal_lib.plot.rounds import plot_change_map

    if study.comparison is None or study.areas is None:
        return None
    theme = study.focus(theme=theme)[1]
    return plot_change_map(study.areas, study.comparison.to_frame(), theme, lang=lang,
                           source=study.source, min_n=study.min_n)


def export_tables(study: RoundsStudy) -> dict[str, pd.DataFrame]:
    """``{"endring": table}`` for :func:`soslokal_lib.app.report.save_tables` (nothing with one
    round)."""
    if study.comparison is None:
        return {}
    return {"endring": study.to_frame()}
