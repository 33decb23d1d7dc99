"""The interactive explorer: neighbourhood, theme, statistic, group and weighting in, compass,
map and table out — in JupyterLab and as a Voilà dashboard (``dashboard/utforsker.ipynb``).

Every number shown comes from :func:`soslokal_lib.summarise` with the explorer's ``min_n``;
figures and tables are drawn by :mod:`soslokal_lib.plot` from those tables. The group view
(age, gender) summarises one neighbourhood's respondents by group, with a missing group value
as its own group («Ikke oppgitt») so that the group cells add up to the neighbourhood; a theme
hidden for the neighbourhood itself stays hidden (its cells are protected against it).
Secondary suppression is the one mechanism of :mod:`soslokal_lib.privacy`, on the whole
area × group table with the neighbourhoods' and the kommune's figures: a small group can be
recovered neither from its neighbourhood row nor from the kommune's row for that group (e.g.
``summarise(survey, by="age_group")``) minus the other neighbourhoods, nor by any other
combination of the published tables.
ipywidgets, matplotlib and geopandas are imported when first used.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from soslokal_lib import privacy
from soslokal_lib.errors import SoslokalError
from soslokal_lib.themes import THEME_CODES, get_theme, theme_labels

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from soslokal_lib.io.inputs import Inputs
    from soslokal_lib.survey import Survey

STATS = ("median", "share_low", "share_high", "mean")
GROUPS = ("age_group", "gender")
TOTAL = privacy.TOTAL
_NO_AREA = "\x00(uten område)"  # respondents without an area: a row never shown

TEXT = {
    "nb": {
        "synthetic": "Syntetiske data: {kommune} er en fiktiv kommune; ingen svar er ekte.",
        "area": "Nabolag", "compare": "Sammenlign med", "theme": "Tema",
        "stat": "Tall", "group": "Grupper", "weighted": "Vektet",
        "whole": "Hele kommunen", "none": "Ingen", "age_group": "Alder", "gender": "Kjønn",
        "group_col": {"age_group": "Aldersgruppe", "gender": "Kjønn"},
        "unknown": "Ikke oppgitt", "all_in": "Alle i {area}",
        "stats": {"median": "Median", "share_low": "Andel lave (1–3)",
                  "share_high": "Andel høye (5–7)", "mean": "Gjennomsnitt"},
        "weights_on": "Vektet: svarene er vektet til befolkningen (raking på område, alder og "
                      "kjønn), så grupper som svarte lite, teller mer.",
        "weights_off": "Uvektet: hvert svar teller likt.",
        "no_weights": "Vekting er ikke mulig: undersøkelsen har ingen vekter (kolonnen "
                      "«weight»). Lag vekter i notatbok 05 og legg dem til med "
                      "weighting.with_weights.",
        "compass_by": "Stedskompasset etter {group}: {area}",
        "compass_stat_note": "Kompasset viser medianen; kartet og tabellen viser {stat}.",
        "map_title": "{theme}: {stat} per nabolag",
        "map_suppressed": "For få svar (n < {min_n}) eller skjult for å beskytte et lite "
                          "nabolag",
        "no_map": "Ingen grensefil er lastet, så kartet kan ikke tegnes. Oppgi areas_path.",
        "table_area": "{theme} i {area}: alle tema",
        "table_group": "{theme} i {area} etter {group}",
        "privacy": "Celler med færre enn {min_n} svar viser ingen tall («for få svar»); "
                   "«skjult for å beskytte et lite nabolag» er skjult for at små grupper ikke "
                   "skal kunne regnes ut fra tallene som vises.",
        "ci": "KI = 95 % konfidensintervall.",
    },
    "en": {
        "synthetic": "Synthetic data: {kommune} is a fictional municipality; no answer is real.",
        "area": "Neighbourhood", "compare": "Compare with", "theme": "Theme",
        "stat": "Statistic", "group": "Groups", "weighted": "Weighted",
        "whole": "Whole municipality", "none": "None", "age_group": "Age", "gender": "Gender",
        "group_col": {"age_group": "Age group", "gender": "Gender"},
        "unknown": "Not stated", "all_in": "Everyone in {area}",
        "stats": {"median": "Median", "share_low": "Share low (1–3)",
                  "share_high": "Share high (5–7)", "mean": "Mean"},
        "weights_on": "Weighted: answers are raked to the population (area, age, gender), so "
                      "groups that answered less count more.",
        "weights_off": "Unweighted: every answer counts the same.",
        "no_weights": "Weighting is not possible: the survey has no weights (column "
                      "'weight'). Make weights in notebook 05 and add them with "
                      "weighting.with_weights.",
        "compass_by": "Place Standard by {group}: {area}",
        "compass_stat_note": "The compass shows the median; the map and table show {stat}.",
        "map_title": "{theme}: {stat} by neighbourhood",
        "map_suppressed": "Too few responses (n < {min_n}) or hidden to protect a small "
                          "neighbourhood",
        "no_map": "No boundary file is loaded, so the map cannot be drawn. Give areas_path.",
        "table_area": "{theme} in {area}: all themes",
        "table_group": "{theme} in {area} by {group}",
        "privacy": "Cells with fewer than {min_n} responses show no numbers («too few "
                   "responses»); cells «hidden to protect a small neighbourhood» are hidden so "
                   "that small groups cannot be worked out from the figures shown.",
        "ci": "CI = 95 % confidence interval.",
    },
}


@dataclass(frozen=True)
class ExplorerState:
    """What the explorer shows: ``group`` is None, ``"age_group"`` or ``"gender"``;
    ``compare`` is an area id, ``"total"`` or None."""

    area: str
    compare: str | None
    theme: str
    stat: str
    group: str | None
    weighted: bool


def sample_weights(sample: Any = None) -> pd.Series:
    """Raking weights for the synthetic sample: area, age band and gender raked to the
    sample's population (15+); respondents without an age or gender answer are left out of
    that margin only (``missing="ignore_margin"``)."""
    from soslokal_lib.io.sample import load_sample
    from soslokal_lib.stats.weighting import population_margins, rake

    sample = load_sample() if sample is None else sample
    margins = population_margins(sample.population, area_map=sample.grunnkretser["parent_id"])
    return rake(sample.survey, margins, missing="ignore_margin")


class Explorer:
    """Interactive explorer of one survey. Display it (or ``explorer.widget``) in a notebook.

    ``inputs``: :class:`~soslokal_lib.io.inputs.Inputs` (survey, areas, names, source).
    ``weights``: respondent weights (a Series by respondent id) to add to the survey; without
    them, the survey's own ``weight`` column is used if there is one, else weighting is off.
    ``area``/``theme``: the first selection (default: the area with most answers, «Trygghet»).
    """

    def __init__(self, inputs: Inputs, *, min_n: int = 5, lang: str = "nb",
                 weights: pd.Series | None = None, area: str | None = None,
                 theme: str = "feeling_safe", labels: Mapping[str, str] | None = None) -> None:
        from soslokal_lib.plot import _common as c

        privacy.check_min_n(min_n)
        self.lang = c.language(lang)
        self.min_n = int(min_n)
        survey = inputs.survey
        if weights is not None:
            from soslokal_lib.stats.weighting import with_weights

            survey = with_weights(survey, weights)
        self.survey: Survey = survey
        self.inputs = inputs
        self.names = {str(k): str(v) for k, v in inputs.names.items()}
        self.labels = theme_labels(self.lang, labels)
        self.has_weights = "weight" in survey.responses.columns
        self.figures: dict[str, Figure] = {}
        self.table: pd.DataFrame = pd.DataFrame()
        self._cache: dict[tuple, pd.DataFrame] = {}
        self._images: dict[tuple, tuple[Figure, str]] = {}
        self._hold = False
        areas = list(pd.unique(survey.responses["area_id"].dropna().astype(str)))
        if not areas:
            raise SoslokalError("The survey has no area_id values, so there is nothing to "
                                "explore. Fix: map the survey's area column to area_id.")
        self.area_ids = sorted(areas, key=lambda a: (self.names.get(a, a), a))
        self._build(area, theme)
        self.update()

    @classmethod
    def from_files(cls, survey_path: Any = None, *, min_n: int = 5, lang: str = "nb",
                   merge: Any = None, merge_small: str | None = None, config: Any = None,
                   **load_options: Any) -> Explorer:
        """Load with :func:`~soslokal_lib.io.inputs.load_inputs`, merge areas as ``merge`` and
        ``merge_small`` say (:func:`soslokal_lib.stats.areamerge.merge_areas`) and build an explorer;
        with a ``config`` (:class:`~soslokal_lib.app.config.Config`) its inputs are used instead
        (:func:`soslokal_lib.app.report.config_inputs`). The synthetic sample gets raking weights
        from its population."""
        from soslokal_lib.app.report import notebook_inputs

        inputs = notebook_inputs(config, survey_path, merge=merge, merge_small=merge_small,
                                 min_n=min_n, lang=lang, **load_options)
        weights = None
        if inputs.synthetic and "weight" not in inputs.survey.responses.columns:
            weights = sample_weights()
        return cls(inputs, min_n=min_n, lang=lang, weights=weights)

    # ------------------------------------------------------------------ widgets

    def _build(self, area: str | None, theme: str) -> None:
        import ipywidgets as w

        t = TEXT[self.lang]
        counts = self.survey.responses["area_id"].astype(str).value_counts()
        area = str(area) if area is not None else str(counts.idxmax())
        if area not in self.area_ids:
            raise SoslokalError(f"No area {area!r} in the survey. Fix: use one of "
                                f"{', '.join(self.area_ids[:20])}.")
        area_options = [(self.names.get(a, a), a) for a in self.area_ids]
        style = {"description_width": "initial"}
        self.area = w.Dropdown(options=area_options, value=area, description=t["area"],
                               style=style)
        self.compare = w.Dropdown(options=[(t["whole"], TOTAL), *area_options, (t["none"], "")],
                                  value=TOTAL, description=t["compare"], style=style)
        themes = [code for code in THEME_CODES if code in self.survey.themes]
        self.theme = w.Dropdown(options=[(f"{get_theme(c).number}. {self.labels[c]}", c)
                                         for c in themes],
                                value=get_theme(theme).code, description=t["theme"],
                                style=style)
        self.stat = w.Dropdown(options=[(t["stats"][s], s) for s in STATS], value="median",
                               description=t["stat"], style=style)
        groups = [g for g in GROUPS if g in self.survey.responses.columns]
        self.group = w.ToggleButtons(options=[(t["none"], "")] + [(t[g], g) for g in groups],
                                     value="", description=t["group"], style=style)
        tip = t["weights_on"] if self.has_weights else t["no_weights"]
        self.weighted = w.Checkbox(value=False, description=t["weighted"],
                                   disabled=not self.has_weights, tooltip=tip, indent=False)
        note = t["weights_off"] if self.has_weights else tip
        self.weight_note = w.HTML(f"<small>{html.escape(note)}</small>")
        self.compass = w.HTML()
        self.map = w.HTML()
        self.table_html = w.HTML()
        for name in ("area", "compare", "theme", "stat", "group", "weighted"):
            getattr(self, name).add_class(f"soslokal-{name}")
            getattr(self, name).observe(self._changed, names="value")
        for name, box in (("compass", self.compass), ("map", self.map),
                          ("table", self.table_html)):
            box.add_class(f"soslokal-{name}")
        header = ""
        if self.inputs.synthetic:
            from soslokal_lib.io.sample import KOMMUNE_NAME as kommune

            header += f"<p><b>{html.escape(t['synthetic'].format(kommune=kommune))}</b></p>"
        row = w.Layout(display="flex", flex_flow="row wrap", align_items="center")
        self.widget = w.VBox([
            w.HTML(header),
            w.Box([self.area, self.compare, self.theme, self.stat], layout=row),
            w.Box([self.group, self.weighted, self.weight_note], layout=row),
            w.Box([self.compass, self.map], layout=row),
            self.table_html,
        ])
        self.widget.add_class("soslokal-explorer")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _changed(self, _change: Any) -> None:
        if not self._hold:
            self.update()

    def select(self, **values: Any) -> ExplorerState:
        """Set several controls at once (``area=``, ``compare=``, ``theme=``, ``stat=``,
        ``group=``, ``weighted=``) and redraw once; returns the new state."""
        known = {"area", "compare", "theme", "stat", "group", "weighted"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise SoslokalError(f"Unknown control(s) {unknown}. Fix: use {sorted(known)}.")
        if values.get("weighted") and not self.has_weights:
            raise SoslokalError(TEXT["en"]["no_weights"])
        if "theme" in values:
            values["theme"] = get_theme(values["theme"]).code
        for key in ("group", "compare"):
            if key in values and values[key] is None:
                values[key] = ""
        for key, value in values.items():
            allowed = [v for _, v in getattr(self, key).options] if key != "weighted" else None
            if allowed is not None and value not in allowed:
                raise SoslokalError(f"{value!r} is not a choice for {key}. Fix: use one of "
                                    f"{', '.join(map(repr, allowed[:20]))}.")
        self._hold = True
        try:
            for key, value in values.items():
                getattr(self, key).value = value
        finally:
            self._hold = False
        self.update()
        return self.state()

    def state(self) -> ExplorerState:
        """The current selection (no side effects)."""
        return ExplorerState(area=self.area.value, compare=self.compare.value or None,
                             theme=self.theme.value, stat=self.stat.value,
                             group=self.group.value or None,
                             weighted=bool(self.weighted.value and self.has_weights))

    # ------------------------------------------------------------------ numbers

    def summary(self, *, weighted: bool = False) -> pd.DataFrame:
        """``summarise(survey, by="area_id")`` with the explorer's ``min_n`` (cached)."""
        from soslokal_lib.stats.summary import summarise

        key = ("area_id", None, weighted)
        if key not in self._cache:
            self._cache[key] = summarise(self.survey, weight="weight" if weighted else None,
                                         min_n=self.min_n)
        return self._cache[key]

    def group_summary(self, area: str, group: str, *, weighted: bool = False) -> pd.DataFrame:
        """One area's respondents summarised by ``group``; the ``"total"`` row is the area.

        A missing group answer is the group «Ikke oppgitt», so the groups add up to the area.
        Which cells are hidden is decided on the area × group table of the whole survey
        (:meth:`group_codes`); the ``"total"`` row carries the area's own code from
        :meth:`summary`. No small group can be had by subtraction from its area, from the
        kommune's figure for that group, or from any combination of these.
        """
        from soslokal_lib.stats.summary import summarise

        if group not in GROUPS or group not in self.survey.responses.columns:
            raise SoslokalError(f"Cannot group by {group!r}. Fix: use one of {list(GROUPS)}.")
        key = (group, area, weighted)
        if key in self._cache:
            return self._cache[key]
        responses = self._with_unknown(group)
        frame = responses[responses["area_id"].astype(str) == area]
        frame.attrs["scale"] = self.survey.scale
        # min_n=1: every statistic is computed here and blanked below by the grid's codes.
        table = summarise(frame, by=group, weight="weight" if weighted else None, min_n=1)
        grid = self.group_codes(group)
        grid = grid[grid["area_id"] == area].set_index([group, "theme"])["code"]
        is_total = (table[group].astype(str) == TOTAL).to_numpy()
        pairs = pd.MultiIndex.from_arrays([table[group].astype(str), table["theme"].astype(str)])
        codes = grid.reindex(pairs).to_numpy(dtype=float, na_value=np.nan)
        parent = self.summary()
        rows = parent[parent["area_id"].astype(str) == area]
        kind = (pd.Series(rows["suppression"].astype("object").to_numpy(),
                          index=rows["theme"].astype(str).to_numpy())
                .reindex(table["theme"].astype(str).to_numpy()))
        area_codes = kind.map({"primary": 1, "secondary": 2}).fillna(0).to_numpy(dtype=float)
        codes = np.where(is_total, area_codes, codes)
        small = table["n"].to_numpy(dtype=np.int64) < self.min_n
        codes = np.where(np.isnan(codes), np.where(small, 1, 0), codes).astype(np.int8)
        table = privacy.apply_suppression(table, codes)
        table.attrs["min_n"] = self.min_n
        self._cache[key] = table
        return table

    def group_codes(self, group: str) -> pd.DataFrame:
        """Suppression codes of the area × ``group`` × theme table of the whole survey
        (``area_id``, ``group``, ``theme``, ``n``, ``code``: 0 shown, 1 primary, 2 secondary),
        exactly as ``summarise(survey, by=["area_id", group])`` decides them
        (:func:`soslokal_lib.stats.summary.cell_codes`): the areas' own figures as in
        :meth:`summary`, the kommune's figures per group as in ``summarise(survey, by=group)``.
        A missing group answer is the group «Ikke oppgitt»; respondents without an area form
        one more (never shown) row, so the kommune's figures do not reveal them either."""
        from soslokal_lib.stats.summary import cell_codes

        key = ("grid", group)
        if key in self._cache:
            return self._cache[key]
        table = cell_codes(self.survey, ["area_id", group], min_n=self.min_n)
        unknown = TEXT[self.lang]["unknown"]
        table["area_id"] = table["area_id"].astype("string").fillna(_NO_AREA).astype(object)
        table[group] = table[group].astype("string").fillna(unknown).astype(object)
        table["theme"] = table["theme"].astype(object)
        self._cache[key] = table
        return table

    def _with_unknown(self, group: str) -> pd.DataFrame:
        """The responses with a missing ``group`` answer as the group «Ikke oppgitt»."""
        responses = self.survey.responses
        values = responses[group]
        if not values.isna().any():
            return responses
        unknown = TEXT[self.lang]["unknown"]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.cat.add_categories([unknown])
        else:
            values = values.astype("string")
        return responses.assign(**{group: values.fillna(unknown)})

    # ------------------------------------------------------------------ drawing

    def update(self) -> None:
        """Recompute (from the cached summaries) and redraw the compass, map and table."""
        s = self.state()
        t = TEXT[self.lang]
        area_name = self.names.get(s.area, s.area)
        summary = self.summary(weighted=s.weighted)
        compass_stat = s.stat if s.stat in ("median", "mean") else "median"
        if s.group is None:
            compass = self._render("compass", (s.area, s.compare, compass_stat, s.weighted),
                                   lambda: self._compass(summary, s, compass_stat))
            title = t["table_area"].format(theme=t["stats"][s.stat], area=area_name)
        else:
            groups = self.group_summary(s.area, s.group, weighted=s.weighted)
            compass = self._render("compass", (s.area, s.group, compass_stat, s.weighted),
                                   lambda: self._compass_groups(groups, s, compass_stat))
            title = t["table_group"].format(theme=self.labels[s.theme], area=area_name,
                                            group=t["group_col"][s.group].lower())
        table = self.table_for(s)
        self.table = table
        if compass_stat != s.stat:
            note = t["compass_stat_note"].format(stat=t["stats"][s.stat].lower())
            compass += f"<p><small>{html.escape(note)}</small></p>"
        self.compass.value = compass
        if self.inputs.areas is not None:
            self.map.value = self._render("map", (s.area, s.theme, s.stat, s.weighted),
                                          lambda: self._map(summary, s))
        else:
            self.map.value = f"<p><i>{html.escape(t['no_map'])}</i></p>"
        notes = [t["privacy"].format(min_n=self.min_n), t["ci"],
                 t["weights_on"] if s.weighted else t["weights_off"], self.inputs.source]
        if self.has_weights:
            self.weight_note.value = f"<small>{html.escape(notes[2])}</small>"
        self.table_html.value = _html_table(table, title, notes,
                                            bold=_bold_rows(table, self.labels[s.theme],
                                                            t["all_in"].format(area=area_name)))

    def _render(self, kind: str, key: tuple, draw: Any) -> str:
        """The ``<img>`` of figure ``kind`` for ``key``: drawn once, then from a small cache;
        ``self.figures[kind]`` is the (closed) Figure shown."""
        key = (kind, *key)
        if key not in self._images:
            if len(self._images) >= 48:
                self._images.pop(next(iter(self._images)))
            fig = draw()
            self._images[key] = (fig, _img(fig, _figure_title(fig), f"soslokal-{kind}-img"))
        self.figures[kind], image = self._images[key]
        return image

    def table_for(self, state: ExplorerState | None = None) -> pd.DataFrame:
        """The table shown for ``state`` (default: the current one), without drawing: all
        themes for the area (and the comparison) or, with a group, the theme by group."""
        s = self.state() if state is None else state
        if s.group is None:
            return self._area_table(self.summary(weighted=s.weighted), s)
        return self._group_table(self.group_summary(s.area, s.group, weighted=s.weighted), s)

    def _compass(self, summary: pd.DataFrame, s: ExplorerState, stat: str) -> Figure:
        from soslokal_lib.plot.compass import plot_compass

        ax = plot_compass(summary, s.area, compare=s.compare, stat=stat, lang=self.lang,
                          names=self.names, labels=self.labels, source=self.inputs.source,
                          min_n=self.min_n)
        return ax.figure

    def _compass_groups(self, groups: pd.DataFrame, s: ExplorerState, stat: str) -> Figure:
        from soslokal_lib.plot.compass import plot_compass_grid

        t = TEXT[self.lang]
        area_name = self.names.get(s.area, s.area)
        title = t["compass_by"].format(group=t["group_col"][s.group].lower(), area=area_name)
        return plot_compass_grid(groups, by=s.group, stat=stat, compare=TOTAL, lang=self.lang,
                                 ncols=3, names={TOTAL: t["all_in"].format(area=area_name)},
                                 labels=self.labels, title=title, source=self.inputs.source,
                                 min_n=self.min_n)

    def _map(self, summary: pd.DataFrame, s: ExplorerState) -> Figure:
        from soslokal_lib.plot.maps import plot_choropleth

        t = TEXT[self.lang]
        rows = summary[(summary["theme"] == s.theme) & (summary["area_id"] != TOTAL)]
        rows = rows.set_index(rows["area_id"].astype(str))
        percent = s.stat.startswith("share")
        values = rows[s.stat] * (100.0 if percent else 1.0)
        areas = self.inputs.areas
        gdf = areas.assign(value=values.reindex(areas.index.astype(str)).to_numpy(),
                           hidden=rows["suppressed"].astype(bool)
                           .reindex(areas.index.astype(str)).fillna(False).to_numpy())
        stat_label = t["stats"][s.stat]
        if s.weighted:
            stat_label += f" ({t['weighted'].lower()})"
        ax = plot_choropleth(
            gdf, "value", scheme="natural_breaks", k=4, lang=self.lang,
            cmap="YlOrRd" if s.stat == "share_low" else "YlGnBu",
            title=t["map_title"].format(theme=self.labels[s.theme], stat=stat_label.lower()),
            legend_title=stat_label + (" (%)" if percent else ""),
            source=self.inputs.source, suppressed="hidden",
            suppressed_label=t["map_suppressed"].format(min_n=self.min_n),
            fmt="{:.0f}" if percent else None)
        chosen = areas[areas.index.astype(str) == s.area]
        if len(chosen):
            chosen.boundary.plot(ax=ax, color="#111111", linewidth=2.4, gid="map-selected")
            ax.set_xlabel("")
            ax.set_ylabel("")
        return ax.figure

    def _area_table(self, summary: pd.DataFrame, s: ExplorerState) -> pd.DataFrame:
        from soslokal_lib.plot.tables import HEADERS, summary_table

        head = HEADERS[self.lang]
        parts = []
        for area in [s.area] + ([s.compare] if s.compare and s.compare != s.area else []):
            tab = summary_table(summary, area=area, names=self.names, lang=self.lang,
                                labels=self.labels)
            name = tab[head["area"]].iloc[0]
            parts.append(tab[[head["theme"], head["n"], head[s.stat]]].rename(columns={
                head["n"]: f"{name}: {head['n'].lower()}",
                head[s.stat]: f"{name}: {head[s.stat]}"}).set_index(head["theme"]))
        return pd.concat(parts, axis=1).reset_index()

    def _group_table(self, groups: pd.DataFrame, s: ExplorerState) -> pd.DataFrame:
        from soslokal_lib.plot.tables import HEADERS, summary_table

        head = HEADERS[self.lang]
        t = TEXT[self.lang]
        area_name = self.names.get(s.area, s.area)
        tab = summary_table(groups, theme=s.theme, by=s.group, lang=self.lang,
                            names={TOTAL: t["all_in"].format(area=area_name)},
                            labels=self.labels)
        return tab.drop(columns=[head["theme"]]).rename(
            columns={head["area"]: t["group_col"][s.group]})


def _figure_title(fig: Figure) -> str:
    """The figure's title (its or a subfigure's suptitle, else an Axes title) for alt text."""
    for part in [fig, *getattr(fig, "subfigs", [])]:
        if part.get_suptitle():
            return part.get_suptitle()
    for ax in fig.axes:
        for loc in ("center", "left"):
            if ax.get_title(loc):
                return ax.get_title(loc)
    return ""


def _img(fig: Figure, alt: str, css_class: str) -> str:
    """The figure as an inline PNG ``<img>`` (data URL) with ``alt``/``title``; closes it."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=72)
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    alt = html.escape(alt, quote=True)
    return (f'<img class="{css_class}" src="data:image/png;base64,{data}" alt="{alt}" '
            f'title="{alt}" style="max-width:100%;height:auto">')


def _bold_rows(table: pd.DataFrame, theme_label: str, total_label: str) -> np.ndarray:
    first = table.iloc[:, 0].astype(str)
    return (first == theme_label).to_numpy() | (first == total_label).to_numpy()


def _html_table(table: pd.DataFrame, title: str, notes: list[str], bold: np.ndarray) -> str:
    """An escaped HTML table with a caption and notes underneath; ``bold`` rows emphasised."""
    head = "".join(f"<th>{html.escape(str(col))}</th>" for col in table.columns)
    body = []
    for row, strong in zip(table.itertuples(index=False), bold, strict=True):
        cells = "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row)
        style = ' style="font-weight:bold;background:#eef5f8"' if strong else ""
        body.append(f"<tr{style}>{cells}</tr>")
    foot = " ".join(html.escape(n) for n in notes if n)
    return (
        '<div class="soslokal-table-box" style="overflow-x:auto">'
        f'<table class="soslokal-summary" style="border-collapse:collapse;font-size:13px">'
        f'<caption style="text-align:left;font-weight:bold;padding:4px 0">'
        f'{html.escape(title)}</caption><thead><tr>{head}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table>'
        f'<p style="font-size:12px;color:#555">{foot}</p></div>'
        "<style>.soslokal-summary th,.soslokal-summary td{border-bottom:1px solid #ddd;"
        "padding:2px 10px;text-align:left}</style>"
    )


def open_explorer(survey_path: Any = None, *, lang: str = "nb", **options: Any) -> Any:
    """:meth:`Explorer.from_files`, or, when the inputs cannot be read, a widget showing the
    library's own message (what is wrong and how to fix it) instead of a traceback. For the
    dashboard, where Voilà would otherwise show only a generic error."""
    import ipywidgets as w

    try:
        return Explorer.from_files(survey_path, lang=lang, **options)
    except (SoslokalError, OSError) as exc:
        title = ("Utforskeren kan ikke vises" if lang != "en" else "The explorer cannot be shown")
        hint = ("Rett feilen i filene eller oppsettet, sjekk med «soslokal check», og last siden "
                "på nytt." if lang != "en" else "Fix the files or the config, check with "
                "«soslokal check», and reload the page.")
        text = (exc.describe(lang) if isinstance(exc, SoslokalError)
                else f"{exc.filename or ''} {exc}")
        return w.HTML(f"<div class='soslokal-error'><h3>{html.escape(title)}</h3>"
                      f"<p>{html.escape(text)}</p><p>{html.escape(hint)}</p></div>")
