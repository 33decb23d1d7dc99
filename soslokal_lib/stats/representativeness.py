"""Who answered? Respondents compared with the population per area, age group and gender.

For each variable and level: respondents ``n``, their share among respondents with a known
value (``sample_share``), the population and its share, the response rate ``n / population``
and the **representation ratio** ``sample_share / population_share`` (1 = as in the population,
below 1 = under-represented). A chi-square goodness-of-fit test per variable (scipy) asks
whether the respondents' distribution could be a random draw from the population's.
Respondent counts stay visible, as in the summary layer (ARCHITECTURE §6: suppression blanks
statistics, never ``n``); groups with fewer than ``min_n`` answers are flagged ``small``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from soslokal_lib.errors import SoslokalError
from soslokal_lib.numformat import format_number, format_percent, lang_key
from soslokal_lib.stats.weighting import margins_from_cells
from soslokal_lib.survey import Survey

TABLE_COLUMNS = ("variable", "level", "label", "n", "sample_share", "population",
                 "population_share", "response_rate", "ratio", "flag", "small")
TEST_COLUMNS = ("variable", "n", "missing", "levels", "chi2", "dof", "p_value", "cohens_w",
                "min_expected")

VARIABLE_NAMES = {
    "nb": {"area_id": "Område", "age_group": "Alder", "gender": "Kjønn"},
    "en": {"area_id": "Area", "age_group": "Age", "gender": "Gender"},
}


@dataclass(frozen=True)
class Representativeness:
    """Respondents vs population: ``table`` (one row per variable × level, columns
    :data:`TABLE_COLUMNS`), ``tests`` (chi-square per variable, :data:`TEST_COLUMNS`),
    ``threshold`` (a level is ``"under"`` when its ratio is below it, ``"over"`` above
    ``1/threshold``), ``n`` respondents and the population total.
    """

    table: pd.DataFrame
    tests: pd.DataFrame
    threshold: float
    n: int
    population_total: float
    min_n: int = 5
    population_label: str | None = None

    @property
    def under(self) -> pd.DataFrame:
        """Under-represented levels, most under-represented first."""
        rows = self.table[self.table["flag"] == "under"]
        return rows.sort_values("ratio", kind="stable").reset_index(drop=True)

    @property
    def over(self) -> pd.DataFrame:
        """Over-represented levels, most over-represented first."""
        rows = self.table[self.table["flag"] == "over"]
        return rows.sort_values("ratio", ascending=False, kind="stable").reset_index(drop=True)

    def note(self, lang: str = "nb") -> str:
        """A plain-language note for the coordinator (bokmål by default, ``lang="en"``)."""
        return _note(self, lang_key(lang))

    def text(self, lang: str = "nb") -> str:
        """The same as :meth:`note` (the name every result uses). There is no single headline
        number, hence no ``statistic``."""
        return self.note(lang)

    def to_frame(self, table: str = "levels") -> pd.DataFrame:
        """A copy of :attr:`table` (``"levels"``: one row per variable × level) or of
        :attr:`tests` (``"tests"``: the chi-square test per variable)."""
        if table not in ("levels", "tests"):
            raise SoslokalError(f"Unknown table {table!r}. Fix: use 'levels' or 'tests'.")
        return (self.table if table == "levels" else self.tests).copy()


def representativeness(
    survey: Survey | pd.DataFrame,
    population: Mapping[str, Mapping[str, float] | pd.Series] | pd.DataFrame,
    *,
    variables: Sequence[str] | None = None,
    threshold: float = 0.85,
    names: Mapping[str, str] | None = None,
    min_n: int = 5,
    population_label: str | None = None,
) -> Representativeness:
    """Compare respondents with the population.

    ``population``: margins ``{variable: {level: persons}}`` (e.g.
    :func:`~soslokal_lib.weighting.population_margins`) or a cross-classified table with a
    ``population`` column (:func:`~soslokal_lib.weighting.population_cells`). ``variables``:
    which to compare (default: every margin variable). ``threshold``: ratio below which a
    level counts as under-represented (and above ``1/threshold`` as over-represented).
    ``names``: display names of area ids. ``population_label``: how the note names the
    population (default «innbyggere 15 år og eldre» / "residents aged 15+").
    """
    frame = survey.responses if isinstance(survey, Survey) else survey
    if not isinstance(frame, pd.DataFrame):
        raise SoslokalError(f"Expected a Survey or DataFrame, not {type(survey).__name__}.")
    if not (isinstance(threshold, (int, float)) and 0 < threshold < 1):
        raise SoslokalError(f"threshold must be between 0 and 1 (e.g. 0.85), not {threshold!r}.")
    if isinstance(population, pd.DataFrame):
        wanted = list(variables) if variables is not None else [
            c for c in ("area_id", "age_group", "gender") if c in population.columns]
        margins = margins_from_cells(population, wanted)
    elif isinstance(population, Mapping):
        margins = dict(population)
    else:
        raise SoslokalError("population must be margins {variable: {level: persons}} or a "
                            "table from population_cells().")
    variables = list(margins) if variables is None else list(variables)
    rows, tests = [], []
    for var in variables:  # a handful of background variables
        if var not in margins:
            raise SoslokalError(f"No population margin for {var!r}. Fix: use one of "
                                f"{list(margins)}.")
        if var not in frame.columns:
            raise SoslokalError(f"The responses have no column {var!r}. Fix: drop it from "
                                "variables or map the column when reading the survey.")
        table, test = _compare(frame[var], _targets(margins[var], var), var, threshold, min_n)
        rows.append(table)
        tests.append(test)
    if not rows:
        raise SoslokalError("Nothing to compare. Fix: give at least one variable.")
    table = pd.concat(rows, ignore_index=True)
    labels = table["level"].astype("str")
    if names:
        is_area = (table["variable"] == "area_id").to_numpy()
        mapped = labels.map({str(k): str(v) for k, v in names.items()})
        labels = labels.where(~is_area | mapped.isna(), mapped)
    table.insert(2, "label", labels.astype("string"))
    total = float(_targets(margins[variables[0]], variables[0]).sum())
    return Representativeness(
        table=table[list(TABLE_COLUMNS)], tests=pd.DataFrame(tests)[list(TEST_COLUMNS)],
        threshold=float(threshold), n=len(frame), population_total=total, min_n=min_n,
        population_label=population_label)


def _targets(spec: Mapping[str, float] | pd.Series, var: str) -> pd.Series:
    s = spec if isinstance(spec, pd.Series) else pd.Series(spec, dtype="object")
    s = pd.to_numeric(s, errors="coerce")
    s.index = s.index.astype("string")
    if s.isna().any() or (s < 0).any() or s.sum() <= 0:
        raise SoslokalError(f"Population margin {var!r} must hold counts ≥ 0 with a positive "
                            "total. Fix: check the population table.")
    return s.astype("float64")


def _compare(values: pd.Series, pop: pd.Series, var: str, threshold: float,
             min_n: int) -> tuple[pd.DataFrame, dict]:
    from scipy import stats

    values = values.astype("string")
    known = values.dropna()
    extra = sorted(set(known) - set(pop.index))
    if extra:
        raise SoslokalError(
            f"Respondents have {var!r} level(s) {extra[:5]} that the population lacks (it has "
            f"{list(pop.index[:6])}). Fix: recode the answers or collapse categories to the "
            "population's.")
    n = known.value_counts().reindex(pop.index, fill_value=0).to_numpy(dtype=np.int64)
    k = n.sum()
    p = pop.to_numpy()
    share_pop = p / p.sum()
    share = n / k if k else np.full(len(n), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(share_pop > 0, share / share_pop, np.nan)
        rate = np.where(p > 0, n / p, np.nan)
    flag = np.where(ratio < threshold, "under", np.where(ratio > 1 / threshold, "over", ""))
    table = pd.DataFrame({
        "variable": var, "level": pop.index.astype("string"), "n": n, "sample_share": share,
        "population": p, "population_share": share_pop, "response_rate": rate,
        "ratio": ratio, "flag": flag, "small": n < min_n})
    table["variable"] = table["variable"].astype("string")
    used = share_pop > 0
    expected = share_pop[used] * k
    if used.sum() > 1 and k > 0:
        chi2, pval = stats.chisquare(n[used], expected)
        chi2, pval = float(chi2), float(pval)
    else:
        chi2 = pval = np.nan
    test = {"variable": var, "n": int(k), "missing": int(values.isna().sum()),
            "levels": int(used.sum()), "chi2": chi2, "dof": int(used.sum()) - 1,
            "p_value": pval, "cohens_w": float(np.sqrt(chi2 / k)) if k else np.nan,
            "min_expected": float(expected.min()) if len(expected) else np.nan}
    return table, test


def _pct(x: float, lang: str) -> str:
    return format_percent(x, lang, 1, whole=True)


def _num(x: float, lang: str, decimals: int = 2) -> str:
    return format_number(x, lang, decimals)


def _p(p: float, lang: str) -> str:
    if not np.isfinite(p):
        return "–"
    if p < 0.001:
        return "p < 0,001" if lang == "nb" else "p < 0.001"
    return f"p = {_num(p, lang, 3)}"


def _group(row: pd.Series, lang: str) -> str:
    name = VARIABLE_NAMES[lang].get(str(row["variable"]), str(row["variable"]))
    label = str(row["label"])
    if row["variable"] == "age_group":
        label += " år" if lang == "nb" else " years"
    return f"{name} {label}"


def _note(rep: Representativeness, lang: str) -> str:
    nb = lang == "nb"
    pop_label = rep.population_label or ("innbyggere 15 år og eldre" if nb
                                         else "residents aged 15+")
    rate = rep.n / rep.population_total
    total = f"{rep.population_total:,.0f}".replace(",", " " if nb else ",")
    lines = [
        (f"{rep.n} personer svarte, av {total} {pop_label} (svarprosent {_pct(rate, lang)})."
         if nb else f"{rep.n} people answered, out of {total} {pop_label} (response rate "
         f"{_pct(rate, lang)}).")]
    pct = _pct(rep.threshold, lang)

    def item(row: pd.Series) -> str:
        return ((f"• {_group(row, lang)}: {_pct(row['sample_share'], lang)} av svarene, men "
                 f"{_pct(row['population_share'], lang)} av befolkningen (forholdstall "
                 f"{_num(row['ratio'], lang)}, svarprosent {_pct(row['response_rate'], lang)}).")
                if nb else
                (f"• {_group(row, lang)}: {_pct(row['sample_share'], lang)} of the answers but "
                 f"{_pct(row['population_share'], lang)} of the population (ratio "
                 f"{_num(row['ratio'], lang)}, response rate {_pct(row['response_rate'], lang)})."))

    under, over = rep.under, rep.over
    if len(under):
        lines.append(f"Underrepresentert (andelen blant dem som svarte er under {pct} av andelen "
                     "i befolkningen):" if nb else
                     f"Under-represented (share among respondents below {pct} of the share in "
                     "the population):")
        lines += [item(r) for _, r in under.iterrows()]
    else:
        lines.append(f"Ingen gruppe er tydelig underrepresentert (alle forholdstall ≥ "
                     f"{_num(rep.threshold, lang)})." if nb else
                     f"No group is clearly under-represented (all ratios ≥ "
                     f"{_num(rep.threshold, lang)}).")
    if len(over):
        shown = ", ".join(f"{_group(r, lang)} ({_num(r['ratio'], lang)})"
                          for _, r in over.iterrows())
        lines.append(f"Overrepresentert: {shown}." if nb else f"Over-represented: {shown}.")
    skewed = rep.tests[rep.tests["p_value"] < 0.05]
    if len(skewed):
        what = [f"{VARIABLE_NAMES[lang].get(v, v).lower()} ({_p(p, lang)})"
                for v, p in zip(skewed["variable"], skewed["p_value"], strict=True)]
        joined = (" og " if nb else " and ").join(
            [", ".join(what[:-1]), what[-1]] if len(what) > 1 else what)
        lines.append(f"Kji-kvadrat-testen viser at skjevheten er større enn tilfeldigheter kan "
                     f"forklare for {joined}." if nb else
                     f"The chi-square test shows a skew larger than chance would explain for "
                     f"{joined}.")
        if (skewed["min_expected"] < 5).any():
            lines.append("Testen er omtrentlig fordi noen grupper er svært små." if nb else
                         "The test is approximate because some groups are very small.")
    small = rep.table[rep.table["small"]]
    if len(small):
        groups = ", ".join(_group(r, lang) for _, r in small.iterrows())
        lines.append(f"Svært få svar (under {rep.min_n}) fra {groups}: tall for disse kan ikke "
                     "vises alene og bør tolkes med stor forsiktighet." if nb else
                     f"Very few answers (under {rep.min_n}) from {groups}: their figures cannot "
                     "be shown on their own and need great caution.")
    lines.append(
        "Hva betyr det? Tall for hele kommunen blir skjeve når grupper som svarer lite, også "
        "vurderer nærmiljøet annerledes. Vekting kan rette opp skjev fordeling på alder, kjønn "
        "og område, men ikke at de som svarte kan skille seg fra dem som ikke svarte i samme "
        "gruppe. Veilederen anbefaler å rekruttere grupper som ofte er underrepresentert til "
        "egne fokusgrupper." if nb else
        "What does it mean? Whole-municipality figures are skewed when groups that answer "
        "little also rate their neighbourhood differently. Weighting can correct the mix of "
        "age, gender and area, but not that those who answered may differ from those who did "
        "not within the same group. The guide recommends recruiting typically under-represented "
        "groups to separate focus groups.")
    return "\n".join(lines)
